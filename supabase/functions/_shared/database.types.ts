export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[];

export type Database = {
  private: {
    Tables: {
      availability_day_versions: {
        Row: {
          date: string;
          team_member_id: string;
          version: number;
        };
        Insert: {
          date: string;
          team_member_id: string;
          version?: number;
        };
        Update: {
          date?: string;
          team_member_id?: string;
          version?: number;
        };
        Relationships: [];
      };
      availability_versions: {
        Row: {
          scope: string;
          version: number;
        };
        Insert: {
          scope: string;
          version?: number;
        };
        Update: {
          scope?: string;
          version?: number;
        };
        Relationships: [];
      };
      calendar_oauth_states: {
        Row: {
          created_at: string;
          expires_at: string;
          nonce: string;
          provider: string;
          team_member_id: string;
          used_at: string | null;
        };
        Insert: {
          created_at?: string;
          expires_at: string;
          nonce: string;
          provider: string;
          team_member_id: string;
          used_at?: string | null;
        };
        Update: {
          created_at?: string;
          expires_at?: string;
          nonce?: string;
          provider?: string;
          team_member_id?: string;
          used_at?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_oauth_states_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "metrics_calendar_sync_rows";
            referencedColumns: ["team_member_id"];
          },
        ];
      };
      calendar_provider_events: {
        Row: {
          ends_at: string;
          event_id: string;
          starts_at: string;
          team_member_id: string;
        };
        Insert: {
          ends_at: string;
          event_id: string;
          starts_at: string;
          team_member_id: string;
        };
        Update: {
          ends_at?: string;
          event_id?: string;
          starts_at?: string;
          team_member_id?: string;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_provider_events_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "metrics_calendar_sync_rows";
            referencedColumns: ["team_member_id"];
          },
        ];
      };
      calendar_provider_sync: {
        Row: {
          full_synced_at: string | null;
          provider: string;
          sync_token: string | null;
          team_member_id: string;
        };
        Insert: {
          full_synced_at?: string | null;
          provider: string;
          sync_token?: string | null;
          team_member_id: string;
        };
        Update: {
          full_synced_at?: string | null;
          provider?: string;
          sync_token?: string | null;
          team_member_id?: string;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_provider_sync_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "metrics_calendar_sync_rows";
            referencedColumns: ["team_member_id"];
          },
        ];
      };
      calendar_push_channels: {
        Row: {
          channel_id: string;
          created_at: string;
          expires_at: string;
          last_queued_at: string | null;
          provider: string;
          resource_id: string | null;
          team_member_id: string;
          token_hash: string;
        };
        Insert: {
          channel_id: string;
          created_at?: string;
          expires_at: string;
          last_queued_at?: string | null;
          provider: string;
          resource_id?: string | null;
          team_member_id: string;
          token_hash: string;
        };
        Update: {
          channel_id?: string;
          created_at?: string;
          expires_at?: string;
          last_queued_at?: string | null;
          provider?: string;
          resource_id?: string | null;
          team_member_id?: string;
          token_hash?: string;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_push_channels_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "metrics_calendar_sync_rows";
            referencedColumns: ["team_member_id"];
          },
        ];
      };
      daily_job_runs: {
        Row: {
          job: string;
          last_run_at: string;
          last_run_on: string;
        };
        Insert: {
          job: string;
          last_run_at?: string;
          last_run_on: string;
        };
        Update: {
          job?: string;
          last_run_at?: string;
          last_run_on?: string;
        };
        Relationships: [];
      };
      waitlist_freed_ranges: {
        Row: {
          freed: unknown;
          freed_at: string;
          id: number;
          team_member_id: string;
        };
        Insert: {
          freed: unknown;
          freed_at?: string;
          id?: never;
          team_member_id: string;
        };
        Update: {
          freed?: unknown;
          freed_at?: string;
          id?: never;
          team_member_id?: string;
        };
        Relationships: [];
      };
    };
    Views: {
      metrics_booking_time_rows: {
        Row: {
          availability_queries: number | null;
          availability_query_ms_p50: number | null;
          availability_query_ms_p90: number | null;
          booked_conversations: number | null;
          booking_minutes_p50: number | null;
          booking_minutes_p90: number | null;
          period: string | null;
          period_start: string | null;
        };
        Relationships: [];
      };
      metrics_calendar_sync_rows: {
        Row: {
          attempts_30_days: number | null;
          attempts_7_days: number | null;
          breakdown: string | null;
          last_error_class_30_days: string | null;
          mean_time_to_recovery_minutes_30_days: number | null;
          mean_time_to_recovery_minutes_7_days: number | null;
          recoveries_30_days: number | null;
          recoveries_7_days: number | null;
          success_percent_30_days: number | null;
          success_percent_7_days: number | null;
          team_member: string | null;
          team_member_id: string | null;
        };
        Relationships: [];
      };
      metrics_customer_satisfaction_rows: {
        Row: {
          assigned_strategy: string | null;
          average_rating: number | null;
          breakdown: string | null;
          low_ratings: number | null;
          period: string | null;
          period_start: string | null;
          preference_outcome: string | null;
          ratings: number | null;
          team_member: string | null;
          team_member_id: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "metrics_calendar_sync_rows";
            referencedColumns: ["team_member_id"];
          },
        ];
      };
      metrics_no_shows_rows: {
        Row: {
          appointments: number | null;
          breakdown: string | null;
          iso_weekday: number | null;
          no_show_percent: number | null;
          no_shows: number | null;
          period: string | null;
          period_start: string | null;
          team_member: string | null;
          team_member_id: string | null;
          weekday: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "metrics_calendar_sync_rows";
            referencedColumns: ["team_member_id"];
          },
        ];
      };
      metrics_preference_satisfaction_rows: {
        Row: {
          assigned_strategy: string | null;
          bookings_with_preference: number | null;
          breakdown: string | null;
          not_preferred_explicit_other: number | null;
          not_preferred_other: number | null;
          not_preferred_unavailable: number | null;
          not_preferred_urgent: number | null;
          period: string | null;
          period_start: string | null;
          satisfaction_percent: number | null;
          team_member: string | null;
          team_member_id: string | null;
          with_preferred_member: number | null;
        };
        Relationships: [
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "metrics_calendar_sync_rows";
            referencedColumns: ["team_member_id"];
          },
        ];
      };
      metrics_repeat_bookings_rows: {
        Row: {
          bookings: number | null;
          breakdown: string | null;
          new_customers: number | null;
          period: string | null;
          period_start: string | null;
          repeat_booking_percent: number | null;
          returning_bookings: number | null;
          returning_customers: number | null;
          same_member_as_previous: number | null;
          team_member: string | null;
          team_member_id: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "metrics_calendar_sync_rows";
            referencedColumns: ["team_member_id"];
          },
        ];
      };
      metrics_utilisation_rows: {
        Row: {
          bookable_minutes: number | null;
          booked_minutes: number | null;
          bookings: number | null;
          breakdown: string | null;
          flag: string | null;
          load_ratio: number | null;
          period: string | null;
          period_start: string | null;
          share_of_bookable_percent: number | null;
          share_of_booked_percent: number | null;
          team_member: string | null;
          team_member_id: string | null;
          utilisation_dispersion: number | null;
          utilisation_percent: number | null;
        };
        Relationships: [];
      };
    };
    Functions: {
      add_local_days: {
        Args: { p_at: string; p_days: number };
        Returns: string;
      };
      add_size_limit: {
        Args: { p_check: string; p_name: string; p_table: unknown };
        Returns: undefined;
      };
      admin_alert_mail_tick: { Args: { p_now?: string }; Returns: number };
      answer_unsupported_whatsapp_message: {
        Args: { p_inbound_id: string };
        Returns: string;
      };
      apply_calendar_provider_read: {
        Args: {
          p_changes: Json;
          p_full: boolean;
          p_now?: string;
          p_provider: string;
          p_removed: string[];
          p_sync_token: string;
          p_team_member_id: string;
        };
        Returns: {
          ends_at: string;
          event_id: string;
          starts_at: string;
        }[];
      };
      apply_whatsapp_statuses: {
        Args: { p_wa_message_id: string };
        Returns: undefined;
      };
      assert_calendar_url_has_no_secret: {
        Args: { p_url: string };
        Returns: boolean;
      };
      assert_valid_time_zone: { Args: { p_zone: string }; Returns: boolean };
      assert_valid_working_hours: { Args: { p_hours: Json }; Returns: boolean };
      availability_version: {
        Args: { p_date: string; p_service_id: string; p_team_member_id: string };
        Returns: number;
      };
      available_slot_count: {
        Args: { p_days: number; p_team_member_id: string };
        Returns: number;
      };
      booking_feed: {
        Args: { p_now?: string; p_token: string };
        Returns: {
          created_at: string;
          customer_first_name: string;
          ends_local: string;
          last_modified: string;
          sequence: number;
          service_name: string;
          starts_local: string;
          team_member_id: string;
          team_member_name: string;
          time_zone: string;
          uid: string;
        }[];
      };
      bump_availability_versions: {
        Args: { p_scopes: string[] };
        Returns: undefined;
      };
      bump_day_versions: {
        Args: {
          p_first_day: string;
          p_last_day: string;
          p_team_member_id: string;
        };
        Returns: undefined;
      };
      business_time_zone: { Args: Record<PropertyKey, never>; Returns: string };
      cache_entry_is_current: {
        Args: { p_date: string; p_service_id: string; p_team_member_id: string };
        Returns: boolean;
      };
      cache_slot_json: {
        Args: { p_ends_at: string; p_starts_at: string; p_time_zone: string };
        Returns: Json;
      };
      calendar_oauth_state_key: {
        Args: Record<PropertyKey, never>;
        Returns: string;
      };
      calendar_oauth_state_signature: {
        Args: {
          p_expires_at: string;
          p_nonce: string;
          p_provider: string;
          p_team_member_id: string;
        };
        Returns: string;
      };
      calendar_provider_sync_position: {
        Args: { p_team_member_id: string };
        Returns: {
          full_synced_at: string;
          sync_token: string;
        }[];
      };
      calendar_push_notified: {
        Args: {
          p_channel_id: string;
          p_now?: string;
          p_provider: string;
          p_token: string;
        };
        Returns: string;
      };
      calendar_push_work: {
        Args: { p_now?: string };
        Returns: {
          action: string;
          calendar_id: string;
          channel_id: string;
          name: string;
          provider: string;
          resource_id: string;
          team_member_id: string;
        }[];
      };
      calendar_secret: { Args: { p_team_member_id: string }; Returns: string };
      calendar_url_secret_reason: { Args: { p_url: string }; Returns: string };
      call_edge_function: {
        Args: { p_body?: Json; p_name: string };
        Returns: number;
      };
      check_whatsapp_message: { Args: { p_message: Json }; Returns: undefined };
      claim_daily_run: {
        Args: { p_job: string; p_local_time: string; p_now?: string };
        Returns: boolean;
      };
      claim_whatsapp_sends: {
        Args: { p_contact_id?: string; p_limit?: number; p_now?: string };
        Returns: {
          attempts: number;
          contact_id: string;
          id: string;
          message: Json;
          purpose: string;
          whatsapp_id: string;
          whatsapp_user_id: string;
        }[];
      };
      complete_calendar_connection: {
        Args: {
          p_calendar_id: string;
          p_now?: string;
          p_refresh_token: string;
          p_state: string;
        };
        Returns: {
          provider: string;
          sync_request: number;
          team_member_id: string;
          team_member_name: string;
        }[];
      };
      complete_past_bookings: { Args: { p_now?: string }; Returns: number };
      compute_is_bookable: {
        Args: { m: Database["public"]["Tables"]["team_members"]["Row"] };
        Returns: boolean;
      };
      compute_slots: {
        Args: {
          p_first_day: string;
          p_last_day: string;
          p_service_id: string;
          p_team_member_ids: string[];
        };
        Returns: {
          day: string;
          ends_at: string;
          starts_at: string;
          team_member_id: string;
        }[];
      };
      conversation_book: {
        Args: { p_contact_id: string; p_now: string; p_number: number };
        Returns: Json;
      };
      conversation_booking_facts: {
        Args: { p_booking_id: string };
        Returns: Json;
      };
      conversation_calendar_stale: {
        Args: { p_team_member_id: string };
        Returns: boolean;
      };
      conversation_context: {
        Args: { p_contact_id: string; p_now?: string };
        Returns: Json;
      };
      conversation_forget: {
        Args: { p_contact_id: string };
        Returns: undefined;
      };
      conversation_info: {
        Args: { p_kind: string; p_now: string; p_service_id: string };
        Returns: Json;
      };
      conversation_llm_prompt: {
        Args: { p_contact_id: string; p_now?: string };
        Returns: string;
      };
      conversation_offer: {
        Args: { p_contact_id: string; p_lost?: boolean; p_now: string };
        Returns: Json;
      };
      conversation_quick_reply: {
        Args: { p_contact_id: string; p_now?: string; p_outcome: Json };
        Returns: Json;
      };
      conversation_release_holds: {
        Args: { p_contact_id: string };
        Returns: undefined;
      };
      conversation_set_preference: {
        Args: { p_contact_id: string; p_now: string; p_team_member_id: string };
        Returns: Json;
      };
      conversation_strategy: {
        Args: {
          p_contact: Database["public"]["Tables"]["contacts"]["Row"];
          p_conv: Database["public"]["Tables"]["conversations"]["Row"];
          p_option: Json;
        };
        Returns: {
          snapshot: Json;
          strategy: string;
        }[];
      };
      conversation_upcoming_bookings: {
        Args: { p_contact_id: string; p_now: string };
        Returns: Json;
      };
      customer_first_name: { Args: { p_name: string }; Returns: string };
      drop_expired_holds: {
        Args: { p_now: string; p_team_member_id: string };
        Returns: undefined;
      };
      find_calendar_oauth_state: {
        Args: { p_now?: string; p_state: string };
        Returns: {
          provider: string;
          team_member_id: string;
          team_member_name: string;
        }[];
      };
      forget_calendar_push_channel: {
        Args: { p_channel_id: string };
        Returns: undefined;
      };
      group_admin_alert_events: { Args: { p_now: string }; Returns: number };
      handle_conversation_message: {
        Args: { p_contact_id: string; p_intent: Json; p_now?: string };
        Returns: Json;
      };
      handle_feedback_reply: {
        Args: { p_contact_id: string; p_now?: string; p_payload: string };
        Returns: Json;
      };
      handle_reminder_reply: {
        Args: { p_contact_id: string; p_now?: string; p_payload: string };
        Returns: Json;
      };
      handle_waitlist_reply: {
        Args: { p_contact_id: string; p_now?: string; p_payload: string };
        Returns: Json;
      };
      insert_booking: {
        Args: {
          p_contact: Database["public"]["Tables"]["contacts"]["Row"];
          p_ends_at: string;
          p_hold_expires_at: string;
          p_member: Database["public"]["Tables"]["team_members"]["Row"];
          p_now: string;
          p_rescheduled_from: string;
          p_service: Database["public"]["Tables"]["services"]["Row"];
          p_snapshot: Json;
          p_source: string;
          p_starts_at: string;
          p_status: string;
          p_strategy: string;
        };
        Returns: string;
      };
      invalidate_cache: {
        Args: {
          p_first_day: string;
          p_last_day: string;
          p_service_id: string;
          p_team_member_id: string;
        };
        Returns: undefined;
      };
      invalidate_cache_for_range: {
        Args: { p_range: unknown; p_team_member_id: string };
        Returns: undefined;
      };
      is_admin: { Args: Record<PropertyKey, never>; Returns: boolean };
      is_trusted_caller: { Args: Record<PropertyKey, never>; Returns: boolean };
      local_date: { Args: { p_at: string }; Returns: string };
      lock_calendars: {
        Args: { p_team_member_ids: string[] };
        Returns: undefined;
      };
      mark_whatsapp_inbound_handled: {
        Args: { p_id: string; p_now?: string };
        Returns: undefined;
      };
      metrics_booking_time: {
        Args: Record<PropertyKey, never>;
        Returns: {
          availability_queries: number | null;
          availability_query_ms_p50: number | null;
          availability_query_ms_p90: number | null;
          booked_conversations: number | null;
          booking_minutes_p50: number | null;
          booking_minutes_p90: number | null;
          period: string | null;
          period_start: string | null;
        }[];
        SetofOptions: {
          from: "*";
          to: "metrics_booking_time_rows";
          isOneToOne: false;
          isSetofReturn: true;
        };
      };
      metrics_customer_satisfaction: {
        Args: Record<PropertyKey, never>;
        Returns: {
          assigned_strategy: string | null;
          average_rating: number | null;
          breakdown: string | null;
          low_ratings: number | null;
          period: string | null;
          period_start: string | null;
          preference_outcome: string | null;
          ratings: number | null;
          team_member: string | null;
          team_member_id: string | null;
        }[];
        SetofOptions: {
          from: "*";
          to: "metrics_customer_satisfaction_rows";
          isOneToOne: false;
          isSetofReturn: true;
        };
      };
      metrics_no_shows: {
        Args: Record<PropertyKey, never>;
        Returns: {
          appointments: number | null;
          breakdown: string | null;
          iso_weekday: number | null;
          no_show_percent: number | null;
          no_shows: number | null;
          period: string | null;
          period_start: string | null;
          team_member: string | null;
          team_member_id: string | null;
          weekday: string | null;
        }[];
        SetofOptions: {
          from: "*";
          to: "metrics_no_shows_rows";
          isOneToOne: false;
          isSetofReturn: true;
        };
      };
      metrics_now: { Args: Record<PropertyKey, never>; Returns: string };
      metrics_preference_satisfaction: {
        Args: Record<PropertyKey, never>;
        Returns: {
          assigned_strategy: string | null;
          bookings_with_preference: number | null;
          breakdown: string | null;
          not_preferred_explicit_other: number | null;
          not_preferred_other: number | null;
          not_preferred_unavailable: number | null;
          not_preferred_urgent: number | null;
          period: string | null;
          period_start: string | null;
          satisfaction_percent: number | null;
          team_member: string | null;
          team_member_id: string | null;
          with_preferred_member: number | null;
        }[];
        SetofOptions: {
          from: "*";
          to: "metrics_preference_satisfaction_rows";
          isOneToOne: false;
          isSetofReturn: true;
        };
      };
      metrics_reader_check: {
        Args: Record<PropertyKey, never>;
        Returns: boolean;
      };
      metrics_repeat_bookings: {
        Args: Record<PropertyKey, never>;
        Returns: {
          bookings: number | null;
          breakdown: string | null;
          new_customers: number | null;
          period: string | null;
          period_start: string | null;
          repeat_booking_percent: number | null;
          returning_bookings: number | null;
          returning_customers: number | null;
          same_member_as_previous: number | null;
          team_member: string | null;
          team_member_id: string | null;
        }[];
        SetofOptions: {
          from: "*";
          to: "metrics_repeat_bookings_rows";
          isOneToOne: false;
          isSetofReturn: true;
        };
      };
      metrics_utilisation: {
        Args: Record<PropertyKey, never>;
        Returns: {
          bookable_minutes: number | null;
          booked_minutes: number | null;
          bookings: number | null;
          breakdown: string | null;
          flag: string | null;
          load_ratio: number | null;
          period: string | null;
          period_start: string | null;
          share_of_bookable_percent: number | null;
          share_of_booked_percent: number | null;
          team_member: string | null;
          team_member_id: string | null;
          utilisation_dispersion: number | null;
          utilisation_percent: number | null;
        }[];
        SetofOptions: {
          from: "*";
          to: "metrics_utilisation_rows";
          isOneToOne: false;
          isSetofReturn: true;
        };
      };
      metrics_window_end: { Args: Record<PropertyKey, never>; Returns: string };
      metrics_window_start: {
        Args: Record<PropertyKey, never>;
        Returns: string;
      };
      my_team_member_id: { Args: Record<PropertyKey, never>; Returns: string };
      next_whatsapp_inbound: {
        Args: { p_contact_id: string; p_now?: string };
        Returns: {
          contact_id: string;
          id: string;
          kind: string;
          language: string;
          profile_name: string;
          reply_id: string;
          sent_at: string;
          text: string;
          wa_message_id: string;
        }[];
      };
      note_freed_range: {
        Args: { p_freed: unknown; p_team_member_id: string };
        Returns: undefined;
      };
      offer_freed_range: {
        Args: { p_freed: unknown; p_now: string; p_team_member_id: string };
        Returns: number;
      };
      preference_snapshot: {
        Args: {
          p_contact: Database["public"]["Tables"]["contacts"]["Row"];
          p_extra: Json;
          p_strategy: string;
        };
        Returns: Json;
      };
      process_waitlist: { Args: { p_now?: string }; Returns: number };
      queue_calendar_push_renewal: { Args: { p_now?: string }; Returns: number };
      queue_due_calendar_syncs: { Args: { p_now?: string }; Returns: number };
      queue_nightly_sync_and_cache_refresh: {
        Args: { p_now?: string };
        Returns: number;
      };
      queue_whatsapp_message: {
        Args: {
          p_contact_id: string;
          p_in_reply_to?: string;
          p_message: Json;
          p_purpose?: string;
        };
        Returns: string;
      };
      quick_reply: {
        Args: { p_index: number; p_payload: string };
        Returns: Json;
      };
      raise_secret_rotation_alerts: {
        Args: { p_now?: string };
        Returns: number;
      };
      record_availability_query: {
        Args: {
          p_at?: string;
          p_contact_id?: string;
          p_duration_ms: number;
          p_service_id?: string;
          p_slots?: number;
        };
        Returns: undefined;
      };
      record_calendar_grant_revoked: {
        Args: { p_team_member_id: string };
        Returns: undefined;
      };
      record_calendar_push_channel: {
        Args: {
          p_channel_id: string;
          p_expires_at: string;
          p_provider: string;
          p_resource_id: string;
          p_team_member_id: string;
          p_token: string;
        };
        Returns: undefined;
      };
      record_conversation_message: {
        Args: { p_at?: string; p_contact_id: string };
        Returns: number;
      };
      record_sync_attempt: {
        Args: {
          p_duration_ms: number;
          p_error: string;
          p_events: number;
          p_now: string;
          p_outcome: string;
          p_team_member_id: string;
        };
        Returns: undefined;
      };
      record_sync_success: {
        Args: {
          p_busy: number;
          p_duration_ms: number;
          p_etag: string;
          p_last_modified: string;
          p_now: string;
          p_result: string;
          p_skipped: number;
          p_team_member_id: string;
        };
        Returns: undefined;
      };
      record_whatsapp_handle_failure: {
        Args: { p_error: string; p_id: string; p_now?: string };
        Returns: undefined;
      };
      record_whatsapp_send_result: {
        Args: {
          p_error_code?: number;
          p_error_title?: string;
          p_id: string;
          p_now?: string;
          p_outcome: string;
          p_wa_message_id?: string;
        };
        Returns: string;
      };
      record_whatsapp_statuses: { Args: { p_statuses: Json }; Returns: number };
      record_whatsapp_webhook: {
        Args: { p_messages: Json; p_now?: string; p_statuses?: Json };
        Returns: {
          contact_id: string;
          new_messages: number;
        }[];
      };
      refresh_bookable: { Args: { p_ids?: string[] }; Returns: undefined };
      release_expired_holds: {
        Args: Record<PropertyKey, never>;
        Returns: number;
      };
      reminder_message: { Args: { p_booking_id: string }; Returns: Json };
      require_contact: {
        Args: { p_contact_id: string };
        Returns: Database["public"]["Tables"]["contacts"]["Row"];
        SetofOptions: {
          from: "*";
          to: "contacts";
          isOneToOne: true;
          isSetofReturn: false;
        };
      };
      require_free_slot: {
        Args: {
          p_now: string;
          p_service_id: string;
          p_starts_at: string;
          p_team_member_id: string;
        };
        Returns: string;
      };
      require_own_clock: { Args: { p_now: string }; Returns: string };
      require_provider: {
        Args: {
          p_service: Database["public"]["Tables"]["services"]["Row"];
          p_team_member_id: string;
        };
        Returns: Database["public"]["Tables"]["team_members"]["Row"];
        SetofOptions: {
          from: "*";
          to: "team_members";
          isOneToOne: true;
          isSetofReturn: false;
        };
      };
      require_sane_date: {
        Args: { p_value: string; p_what: string };
        Returns: string;
      };
      require_sane_time: {
        Args: { p_value: string; p_what: string };
        Returns: string;
      };
      require_service: {
        Args: { p_service_id: string };
        Returns: Database["public"]["Tables"]["services"]["Row"];
        SetofOptions: {
          from: "*";
          to: "services";
          isOneToOne: true;
          isSetofReturn: false;
        };
      };
      require_trusted_caller: {
        Args: Record<PropertyKey, never>;
        Returns: undefined;
      };
      require_window: {
        Args: { p_from: string; p_max: string; p_to: string };
        Returns: undefined;
      };
      reset_calendar_sync_state: {
        Args: { p_team_member_id: string };
        Returns: undefined;
      };
      resolve_team_member: {
        Args: { p_team_member_id: string };
        Returns: string;
      };
      retry_delay: { Args: { p_failures_in_a_row: number }; Returns: string };
      rotate_calendar_refresh_token: {
        Args: { p_refresh_token: string; p_team_member_id: string };
        Returns: undefined;
      };
      scrub_secret: {
        Args: { p_message: string; p_secret: string };
        Returns: string;
      };
      send_due_feedback_questions: { Args: { p_now?: string }; Returns: number };
      send_due_reminders: { Args: { p_now?: string }; Returns: number };
      service_candidates: {
        Args: { p_service_id: string; p_team_member_ids?: string[] };
        Returns: string[];
      };
      session_role: { Args: Record<PropertyKey, never>; Returns: string };
      settings: {
        Args: Record<PropertyKey, never>;
        Returns: Database["public"]["Tables"]["business_settings"]["Row"];
        SetofOptions: {
          from: "*";
          to: "business_settings";
          isOneToOne: true;
          isSetofReturn: false;
        };
      };
      slot_json: {
        Args: { p_ends_at: string; p_starts_at: string; p_time_zone: string };
        Returns: Json;
      };
      spread_slots: {
        Args: {
          p_count: number;
          p_from: string;
          p_now: string;
          p_service_id: string;
          p_team_member_id: string;
          p_to: string;
        };
        Returns: {
          ends_at: string;
          starts_at: string;
        }[];
      };
      store_cache_entries: {
        Args: {
          p_first_day: string;
          p_last_day: string;
          p_service_id: string;
          p_team_member_ids: string[];
        };
        Returns: number;
      };
      sync_error_class: { Args: { p_message: string }; Returns: string };
      take_slot: {
        Args: {
          p_now: string;
          p_service_id: string;
          p_starts_at: string;
          p_team_member_id: string;
        };
        Returns: string;
      };
      template_for: {
        Args: { p_language: string; p_purpose: string };
        Returns: Database["public"]["Tables"]["whatsapp_templates"]["Row"];
        SetofOptions: {
          from: "*";
          to: "whatsapp_templates";
          isOneToOne: true;
          isSetofReturn: false;
        };
      };
      text_parameters: { Args: { p_values: string[] }; Returns: Json };
      try_lock_cache_writer: {
        Args: { p_service_id: string; p_team_member_id: string };
        Returns: boolean;
      };
      try_next_whatsapp_inbound: {
        Args: { p_contact_id: string; p_now?: string };
        Returns: {
          busy: boolean;
          contact_id: string;
          id: string;
          kind: string;
          language: string;
          profile_name: string;
          reply_id: string;
          sent_at: string;
          text: string;
          wa_message_id: string;
        }[];
      };
      utc_offset: {
        Args: { p_at: string; p_time_zone: string };
        Returns: string;
      };
      utc_offset_periods: {
        Args: { p_from: string; p_time_zone: string; p_to: string };
        Returns: {
          during: unknown;
          utc_offset: string;
        }[];
      };
      utc_offset_switches: {
        Args: { p_from: string; p_time_zone: string; p_to: string };
        Returns: string[];
      };
      waitlist_offer_message: {
        Args: {
          p_entry: Database["public"]["Tables"]["waitlist_entries"]["Row"];
          p_member_id: string;
        };
        Returns: Json;
      };
      weekday_key: { Args: { p_day: string }; Returns: string };
      whatsapp_contact_id: {
        Args: { p_profile_name: string; p_user_id: string; p_wa_id: string };
        Returns: string;
      };
      whatsapp_contacts_with_work: {
        Args: { p_limit?: number; p_now?: string; p_settle?: string };
        Returns: string[];
      };
      whatsapp_inbound_waiting: {
        Args: { p_contact_id: string; p_now?: string };
        Returns: boolean;
      };
      whatsapp_max_send_attempts: {
        Args: Record<PropertyKey, never>;
        Returns: number;
      };
      whatsapp_retry_delay: { Args: { p_attempts: number }; Returns: string };
      whatsapp_status_rank: { Args: { p_status: string }; Returns: number };
      whatsapp_sweep: { Args: { p_now?: string }; Returns: number };
      working_hours_problem: { Args: { p_hours: Json }; Returns: string };
      writeback_max_attempts: {
        Args: Record<PropertyKey, never>;
        Returns: number;
      };
    };
    Enums: {
      [_ in never]: never;
    };
    CompositeTypes: {
      ranked_candidate: {
        position: number | null;
        team_member_id: string | null;
        name: string | null;
        score: number | null;
        starts_at: string | null;
        ends_at: string | null;
        preference_rank: number | null;
      };
    };
  };
  public: {
    Tables: {
      admin_alert_mails: {
        Row: {
          attempts: number;
          created_at: string;
          id: number;
          last_error: string | null;
          next_attempt_at: string;
          recipients: string[] | null;
          sent_at: string | null;
          status: string;
        };
        Insert: {
          attempts?: number;
          created_at?: string;
          id?: never;
          last_error?: string | null;
          next_attempt_at: string;
          recipients?: string[] | null;
          sent_at?: string | null;
          status?: string;
        };
        Update: {
          attempts?: number;
          created_at?: string;
          id?: never;
          last_error?: string | null;
          next_attempt_at?: string;
          recipients?: string[] | null;
          sent_at?: string | null;
          status?: string;
        };
        Relationships: [];
      };
      admin_alerts: {
        Row: {
          contact_id: string | null;
          created_at: string;
          id: string;
          kind: string;
          mail_id: number | null;
          message: string;
          resolution_mail_id: number | null;
          resolved_at: string | null;
          team_member_id: string | null;
          whatsapp_message_id: string | null;
        };
        Insert: {
          contact_id?: string | null;
          created_at?: string;
          id?: string;
          kind: string;
          mail_id?: number | null;
          message: string;
          resolution_mail_id?: number | null;
          resolved_at?: string | null;
          team_member_id?: string | null;
          whatsapp_message_id?: string | null;
        };
        Update: {
          contact_id?: string | null;
          created_at?: string;
          id?: string;
          kind?: string;
          mail_id?: number | null;
          message?: string;
          resolution_mail_id?: number | null;
          resolved_at?: string | null;
          team_member_id?: string | null;
          whatsapp_message_id?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "admin_alerts_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "admin_alerts_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "admin_alerts_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "admin_alerts_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "admin_alerts_mail_id_fkey";
            columns: ["mail_id"];
            isOneToOne: false;
            referencedRelation: "admin_alert_mails";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "admin_alerts_resolution_mail_id_fkey";
            columns: ["resolution_mail_id"];
            isOneToOne: false;
            referencedRelation: "admin_alert_mails";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "admin_alerts_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "admin_alerts_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "admin_alerts_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "admin_alerts_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "admin_alerts_whatsapp_message_id_fkey";
            columns: ["whatsapp_message_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_outbound_messages";
            referencedColumns: ["id"];
          },
        ];
      };
      availability_cache: {
        Row: {
          cache_version: number | null;
          date: string | null;
          id: string;
          last_synced: string | null;
          service_id: string | null;
          team_member_id: string | null;
          time_slots: Json | null;
        };
        Insert: {
          cache_version?: number | null;
          date?: string | null;
          id?: string;
          last_synced?: string | null;
          service_id?: string | null;
          team_member_id?: string | null;
          time_slots?: Json | null;
        };
        Update: {
          cache_version?: number | null;
          date?: string | null;
          id?: string;
          last_synced?: string | null;
          service_id?: string | null;
          team_member_id?: string | null;
          time_slots?: Json | null;
        };
        Relationships: [
          {
            foreignKeyName: "availability_cache_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "service_team_members";
            referencedColumns: ["service_id"];
          },
          {
            foreignKeyName: "availability_cache_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "services";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "availability_cache_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "availability_cache_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "availability_cache_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "availability_cache_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      availability_query_log: {
        Row: {
          contact_id: string | null;
          duration_ms: number;
          id: number;
          queried_at: string;
          service_id: string | null;
          slots_returned: number | null;
        };
        Insert: {
          contact_id?: string | null;
          duration_ms: number;
          id?: never;
          queried_at: string;
          service_id?: string | null;
          slots_returned?: number | null;
        };
        Update: {
          contact_id?: string | null;
          duration_ms?: number;
          id?: never;
          queried_at?: string;
          service_id?: string | null;
          slots_returned?: number | null;
        };
        Relationships: [
          {
            foreignKeyName: "availability_query_log_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "availability_query_log_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "availability_query_log_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "availability_query_log_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "availability_query_log_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "service_team_members";
            referencedColumns: ["service_id"];
          },
          {
            foreignKeyName: "availability_query_log_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "services";
            referencedColumns: ["id"];
          },
        ];
      };
      booking_notifications: {
        Row: {
          booking_id: string;
          contact_id: string;
          kind: string;
          outbound_message_id: string | null;
          replied_at: string | null;
          reply: string | null;
          sent_at: string;
        };
        Insert: {
          booking_id: string;
          contact_id: string;
          kind: string;
          outbound_message_id?: string | null;
          replied_at?: string | null;
          reply?: string | null;
          sent_at: string;
        };
        Update: {
          booking_id?: string;
          contact_id?: string;
          kind?: string;
          outbound_message_id?: string | null;
          replied_at?: string | null;
          reply?: string | null;
          sent_at?: string;
        };
        Relationships: [
          {
            foreignKeyName: "booking_notifications_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: false;
            referencedRelation: "booking_schedule";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "booking_notifications_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: false;
            referencedRelation: "bookings";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "booking_notifications_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "booking_notifications_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "booking_notifications_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "booking_notifications_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "booking_notifications_outbound_message_id_fkey";
            columns: ["outbound_message_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_outbound_messages";
            referencedColumns: ["id"];
          },
        ];
      };
      booking_ratings: {
        Row: {
          booking_id: string;
          comment: string | null;
          id: string;
          rated_at: string;
          rating: number;
          source: string;
        };
        Insert: {
          booking_id: string;
          comment?: string | null;
          id?: string;
          rated_at?: string;
          rating: number;
          source?: string;
        };
        Update: {
          booking_id?: string;
          comment?: string | null;
          id?: string;
          rated_at?: string;
          rating?: number;
          source?: string;
        };
        Relationships: [
          {
            foreignKeyName: "booking_ratings_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: true;
            referencedRelation: "booking_schedule";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "booking_ratings_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: true;
            referencedRelation: "bookings";
            referencedColumns: ["id"];
          },
        ];
      };
      bookings: {
        Row: {
          assigned_strategy: string | null;
          blocked_during: unknown;
          buffer_after_minutes: number;
          buffer_before_minutes: number;
          calendar_sequence: number;
          calendar_uid: string | null;
          cancelled_at: string | null;
          contact_id: string;
          created_at: string;
          ends_at: string;
          external_event_id: string | null;
          hold_expires_at: string | null;
          id: string;
          preference_snapshot: Json | null;
          rescheduled_from_id: string | null;
          service_id: string;
          source: string;
          starts_at: string;
          status: string;
          team_member_id: string | null;
          updated_at: string;
        };
        Insert: {
          assigned_strategy?: string | null;
          blocked_during?: unknown;
          buffer_after_minutes?: number;
          buffer_before_minutes?: number;
          calendar_sequence?: number;
          calendar_uid?: string | null;
          cancelled_at?: string | null;
          contact_id: string;
          created_at?: string;
          ends_at: string;
          external_event_id?: string | null;
          hold_expires_at?: string | null;
          id?: string;
          preference_snapshot?: Json | null;
          rescheduled_from_id?: string | null;
          service_id: string;
          source?: string;
          starts_at: string;
          status?: string;
          team_member_id?: string | null;
          updated_at?: string;
        };
        Update: {
          assigned_strategy?: string | null;
          blocked_during?: unknown;
          buffer_after_minutes?: number;
          buffer_before_minutes?: number;
          calendar_sequence?: number;
          calendar_uid?: string | null;
          cancelled_at?: string | null;
          contact_id?: string;
          created_at?: string;
          ends_at?: string;
          external_event_id?: string | null;
          hold_expires_at?: string | null;
          id?: string;
          preference_snapshot?: Json | null;
          rescheduled_from_id?: string | null;
          service_id?: string;
          source?: string;
          starts_at?: string;
          status?: string;
          team_member_id?: string | null;
          updated_at?: string;
        };
        Relationships: [
          {
            foreignKeyName: "bookings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "bookings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "bookings_rescheduled_from_id_fkey";
            columns: ["rescheduled_from_id"];
            isOneToOne: false;
            referencedRelation: "booking_schedule";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_rescheduled_from_id_fkey";
            columns: ["rescheduled_from_id"];
            isOneToOne: false;
            referencedRelation: "bookings";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "service_team_members";
            referencedColumns: ["service_id"];
          },
          {
            foreignKeyName: "bookings_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "services";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      business_closures: {
        Row: {
          created_at: string;
          ends_on: string;
          id: string;
          reason: string | null;
          starts_on: string;
        };
        Insert: {
          created_at?: string;
          ends_on: string;
          id?: string;
          reason?: string | null;
          starts_on: string;
        };
        Update: {
          created_at?: string;
          ends_on?: string;
          id?: string;
          reason?: string | null;
          starts_on?: string;
        };
        Relationships: [];
      };
      business_settings: {
        Row: {
          alert_mail_delay_minutes: number;
          business_name: string;
          cache_max_age_minutes: number;
          calendar_fresh_minutes: number;
          conversation_idle_minutes: number;
          default_working_hours: NonNullable<Json>;
          feedback_delay_minutes: number;
          feedback_min_days_between: number;
          hold_minutes: number;
          horizon_days: number;
          id: boolean;
          llm_prompt_template: string;
          penalty_per_recent_booking: number;
          preference_history_threshold: number;
          recent_booking_window_days: number;
          reminder_hours_before: number;
          require_team_member_assignment: boolean;
          secret_max_age_days: number;
          slot_step_minutes: number;
          sync_failures_before_unbookable: number;
          sync_interval_minutes: number;
          time_zone: string;
          updated_at: string;
          utilisation_tolerance_percent: number;
          weight_preference: number;
          weight_primary_provider: number;
          weight_slot_within_24h: number;
        };
        Insert: {
          alert_mail_delay_minutes?: number;
          business_name?: string;
          cache_max_age_minutes?: number;
          calendar_fresh_minutes?: number;
          conversation_idle_minutes?: number;
          default_working_hours?: NonNullable<Json>;
          feedback_delay_minutes?: number;
          feedback_min_days_between?: number;
          hold_minutes?: number;
          horizon_days?: number;
          id?: boolean;
          llm_prompt_template?: string;
          penalty_per_recent_booking?: number;
          preference_history_threshold?: number;
          recent_booking_window_days?: number;
          reminder_hours_before?: number;
          require_team_member_assignment?: boolean;
          secret_max_age_days?: number;
          slot_step_minutes?: number;
          sync_failures_before_unbookable?: number;
          sync_interval_minutes?: number;
          time_zone?: string;
          updated_at?: string;
          utilisation_tolerance_percent?: number;
          weight_preference?: number;
          weight_primary_provider?: number;
          weight_slot_within_24h?: number;
        };
        Update: {
          alert_mail_delay_minutes?: number;
          business_name?: string;
          cache_max_age_minutes?: number;
          calendar_fresh_minutes?: number;
          conversation_idle_minutes?: number;
          default_working_hours?: NonNullable<Json>;
          feedback_delay_minutes?: number;
          feedback_min_days_between?: number;
          hold_minutes?: number;
          horizon_days?: number;
          id?: boolean;
          llm_prompt_template?: string;
          penalty_per_recent_booking?: number;
          preference_history_threshold?: number;
          recent_booking_window_days?: number;
          reminder_hours_before?: number;
          require_team_member_assignment?: boolean;
          secret_max_age_days?: number;
          slot_step_minutes?: number;
          sync_failures_before_unbookable?: number;
          sync_interval_minutes?: number;
          time_zone?: string;
          updated_at?: string;
          utilisation_tolerance_percent?: number;
          weight_preference?: number;
          weight_primary_provider?: number;
          weight_slot_within_24h?: number;
        };
        Relationships: [];
      };
      calendar_busy_times: {
        Row: {
          during: unknown;
          ends_at: string;
          id: number;
          recurrence_id: string | null;
          source_uid: string | null;
          starts_at: string;
          synced_at: string;
          team_member_id: string;
        };
        Insert: {
          during?: never;
          ends_at: string;
          id?: never;
          recurrence_id?: string | null;
          source_uid?: string | null;
          starts_at: string;
          synced_at?: string;
          team_member_id: string;
        };
        Update: {
          during?: never;
          ends_at?: string;
          id?: never;
          recurrence_id?: string | null;
          source_uid?: string | null;
          starts_at?: string;
          synced_at?: string;
          team_member_id?: string;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_busy_times_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "calendar_busy_times_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "calendar_busy_times_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "calendar_busy_times_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      calendar_sync_attempts: {
        Row: {
          duration_ms: number | null;
          error_class: string | null;
          events_read: number | null;
          failing_since: string | null;
          finished_at: string;
          id: number;
          outcome: string;
          provider: string | null;
          recovery_seconds: number | null;
          started_at: string;
          team_member_id: string;
        };
        Insert: {
          duration_ms?: number | null;
          error_class?: string | null;
          events_read?: number | null;
          failing_since?: string | null;
          finished_at: string;
          id?: never;
          outcome: string;
          provider?: string | null;
          recovery_seconds?: number | null;
          started_at: string;
          team_member_id: string;
        };
        Update: {
          duration_ms?: number | null;
          error_class?: string | null;
          events_read?: number | null;
          failing_since?: string | null;
          finished_at?: string;
          id?: never;
          outcome?: string;
          provider?: string | null;
          recovery_seconds?: number | null;
          started_at?: string;
          team_member_id?: string;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_sync_attempts_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "calendar_sync_attempts_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "calendar_sync_attempts_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "calendar_sync_attempts_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      calendar_sync_state: {
        Row: {
          claimed_until: string | null;
          etag: string | null;
          last_attempt_at: string | null;
          last_busy_times: number | null;
          last_duration_ms: number | null;
          last_modified: string | null;
          last_result: string | null;
          last_skipped_components: number | null;
          team_member_id: string;
        };
        Insert: {
          claimed_until?: string | null;
          etag?: string | null;
          last_attempt_at?: string | null;
          last_busy_times?: number | null;
          last_duration_ms?: number | null;
          last_modified?: string | null;
          last_result?: string | null;
          last_skipped_components?: number | null;
          team_member_id: string;
        };
        Update: {
          claimed_until?: string | null;
          etag?: string | null;
          last_attempt_at?: string | null;
          last_busy_times?: number | null;
          last_duration_ms?: number | null;
          last_modified?: string | null;
          last_result?: string | null;
          last_skipped_components?: number | null;
          team_member_id?: string;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_sync_state_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "calendar_sync_state_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "calendar_sync_state_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "calendar_sync_state_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      calendar_writeback_queue: {
        Row: {
          action: string;
          attempts: number;
          booking_id: string;
          created_at: string;
          event_href: string | null;
          gave_up_at: string | null;
          id: number;
          last_error: string | null;
          next_attempt_at: string;
        };
        Insert: {
          action: string;
          attempts?: number;
          booking_id: string;
          created_at?: string;
          event_href?: string | null;
          gave_up_at?: string | null;
          id?: never;
          last_error?: string | null;
          next_attempt_at?: string;
        };
        Update: {
          action?: string;
          attempts?: number;
          booking_id?: string;
          created_at?: string;
          event_href?: string | null;
          gave_up_at?: string | null;
          id?: never;
          last_error?: string | null;
          next_attempt_at?: string;
        };
        Relationships: [
          {
            foreignKeyName: "calendar_writeback_queue_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: false;
            referencedRelation: "booking_schedule";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "calendar_writeback_queue_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: false;
            referencedRelation: "bookings";
            referencedColumns: ["id"];
          },
        ];
      };
      contacts: {
        Row: {
          created_at: string;
          feedback_opt_out: boolean;
          id: string;
          language: string;
          name: string | null;
          preference_metadata: NonNullable<Json>;
          preferred_staff_member: string | null;
          preferred_team_member_ids: string[];
          updated_at: string;
          whatsapp_id: string | null;
          whatsapp_user_id: string | null;
        };
        Insert: {
          created_at?: string;
          feedback_opt_out?: boolean;
          id?: string;
          language?: string;
          name?: string | null;
          preference_metadata?: NonNullable<Json>;
          preferred_staff_member?: string | null;
          preferred_team_member_ids?: string[];
          updated_at?: string;
          whatsapp_id?: string | null;
          whatsapp_user_id?: string | null;
        };
        Update: {
          created_at?: string;
          feedback_opt_out?: boolean;
          id?: string;
          language?: string;
          name?: string | null;
          preference_metadata?: NonNullable<Json>;
          preferred_staff_member?: string | null;
          preferred_team_member_ids?: string[];
          updated_at?: string;
          whatsapp_id?: string | null;
          whatsapp_user_id?: string | null;
        };
        Relationships: [];
      };
      conversation_timings: {
        Row: {
          booked_at: string | null;
          booking_id: string | null;
          contact_id: string;
          id: number;
          last_message_at: string;
          started_at: string;
        };
        Insert: {
          booked_at?: string | null;
          booking_id?: string | null;
          contact_id: string;
          id?: never;
          last_message_at: string;
          started_at: string;
        };
        Update: {
          booked_at?: string | null;
          booking_id?: string | null;
          contact_id?: string;
          id?: never;
          last_message_at?: string;
          started_at?: string;
        };
        Relationships: [
          {
            foreignKeyName: "conversation_timings_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: true;
            referencedRelation: "booking_schedule";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversation_timings_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: true;
            referencedRelation: "bookings";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversation_timings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversation_timings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "conversation_timings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversation_timings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
        ];
      };
      conversations: {
        Row: {
          anyone: boolean;
          awaiting: string;
          booking_id: string | null;
          candidate_ids: string[];
          candidate_team_member_ids: string[];
          contact_id: string;
          customer_statement: string | null;
          exact_time: boolean;
          handed_off_at: string | null;
          language: string;
          last_message_at: string | null;
          mode: string;
          offered: NonNullable<Json>;
          opted_out_at: string | null;
          outcome: string | null;
          part_of_day: string | null;
          requested_team_member_id: string | null;
          service_id: string | null;
          updated_at: string;
          window_from: string | null;
          window_to: string | null;
        };
        Insert: {
          anyone?: boolean;
          awaiting?: string;
          booking_id?: string | null;
          candidate_ids?: string[];
          candidate_team_member_ids?: string[];
          contact_id: string;
          customer_statement?: string | null;
          exact_time?: boolean;
          handed_off_at?: string | null;
          language?: string;
          last_message_at?: string | null;
          mode?: string;
          offered?: NonNullable<Json>;
          opted_out_at?: string | null;
          outcome?: string | null;
          part_of_day?: string | null;
          requested_team_member_id?: string | null;
          service_id?: string | null;
          updated_at?: string;
          window_from?: string | null;
          window_to?: string | null;
        };
        Update: {
          anyone?: boolean;
          awaiting?: string;
          booking_id?: string | null;
          candidate_ids?: string[];
          candidate_team_member_ids?: string[];
          contact_id?: string;
          customer_statement?: string | null;
          exact_time?: boolean;
          handed_off_at?: string | null;
          language?: string;
          last_message_at?: string | null;
          mode?: string;
          offered?: NonNullable<Json>;
          opted_out_at?: string | null;
          outcome?: string | null;
          part_of_day?: string | null;
          requested_team_member_id?: string | null;
          service_id?: string | null;
          updated_at?: string;
          window_from?: string | null;
          window_to?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "conversations_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: false;
            referencedRelation: "booking_schedule";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversations_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: false;
            referencedRelation: "bookings";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversations_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: true;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversations_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: true;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "conversations_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: true;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversations_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: true;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "conversations_requested_team_member_id_fkey";
            columns: ["requested_team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "conversations_requested_team_member_id_fkey";
            columns: ["requested_team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversations_requested_team_member_id_fkey";
            columns: ["requested_team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversations_requested_team_member_id_fkey";
            columns: ["requested_team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "conversations_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "service_team_members";
            referencedColumns: ["service_id"];
          },
          {
            foreignKeyName: "conversations_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "services";
            referencedColumns: ["id"];
          },
        ];
      };
      services: {
        Row: {
          buffer_after_minutes: number;
          buffer_before_minutes: number;
          cost_chf: number | null;
          created_at: string;
          description: string | null;
          duration_minutes: number;
          id: string;
          is_active: boolean;
          min_notice_minutes: number;
          name: string;
          send_reminders: boolean;
          synonyms: string[];
          updated_at: string;
        };
        Insert: {
          buffer_after_minutes?: number;
          buffer_before_minutes?: number;
          cost_chf?: number | null;
          created_at?: string;
          description?: string | null;
          duration_minutes: number;
          id?: string;
          is_active?: boolean;
          min_notice_minutes?: number;
          name: string;
          send_reminders?: boolean;
          synonyms?: string[];
          updated_at?: string;
        };
        Update: {
          buffer_after_minutes?: number;
          buffer_before_minutes?: number;
          cost_chf?: number | null;
          created_at?: string;
          description?: string | null;
          duration_minutes?: number;
          id?: string;
          is_active?: boolean;
          min_notice_minutes?: number;
          name?: string;
          send_reminders?: boolean;
          synonyms?: string[];
          updated_at?: string;
        };
        Relationships: [];
      };
      team_member_absences: {
        Row: {
          created_at: string;
          ends_on: string;
          id: string;
          reason: string | null;
          starts_on: string;
          team_member_id: string;
        };
        Insert: {
          created_at?: string;
          ends_on: string;
          id?: string;
          reason?: string | null;
          starts_on: string;
          team_member_id: string;
        };
        Update: {
          created_at?: string;
          ends_on?: string;
          id?: string;
          reason?: string | null;
          starts_on?: string;
          team_member_id?: string;
        };
        Relationships: [
          {
            foreignKeyName: "team_member_absences_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "team_member_absences_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "team_member_absences_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "team_member_absences_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      team_member_booking_feeds: {
        Row: {
          created_at: string;
          last_fetched_at: string | null;
          team_member_id: string;
          token_hash: string;
        };
        Insert: {
          created_at?: string;
          last_fetched_at?: string | null;
          team_member_id: string;
          token_hash: string;
        };
        Update: {
          created_at?: string;
          last_fetched_at?: string | null;
          team_member_id?: string;
          token_hash?: string;
        };
        Relationships: [
          {
            foreignKeyName: "team_member_booking_feeds_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "team_member_booking_feeds_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "team_member_booking_feeds_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "team_member_booking_feeds_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: true;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      team_member_services: {
        Row: {
          created_at: string;
          custom_cost_chf: number | null;
          custom_duration_minutes: number | null;
          id: string;
          is_primary: boolean;
          notes: string | null;
          priority_order: number;
          service_id: string;
          team_member_id: string;
        };
        Insert: {
          created_at?: string;
          custom_cost_chf?: number | null;
          custom_duration_minutes?: number | null;
          id?: string;
          is_primary?: boolean;
          notes?: string | null;
          priority_order?: number;
          service_id: string;
          team_member_id: string;
        };
        Update: {
          created_at?: string;
          custom_cost_chf?: number | null;
          custom_duration_minutes?: number | null;
          id?: string;
          is_primary?: boolean;
          notes?: string | null;
          priority_order?: number;
          service_id?: string;
          team_member_id?: string;
        };
        Relationships: [
          {
            foreignKeyName: "team_member_services_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "service_team_members";
            referencedColumns: ["service_id"];
          },
          {
            foreignKeyName: "team_member_services_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "services";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "team_member_services_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "team_member_services_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "team_member_services_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "team_member_services_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      team_members: {
        Row: {
          avatar_url: string | null;
          bio: string | null;
          calendar_last_synced: string | null;
          calendar_provider: string | null;
          calendar_secret_configured: boolean | null;
          calendar_secret_ref: string | null;
          calendar_source_url: string | null;
          calendar_sync_error: string | null;
          calendar_sync_status: string;
          consecutive_failures: number;
          created_at: string;
          default_priority: number;
          display_order: number;
          email: string | null;
          id: string;
          is_active: boolean;
          is_bookable: boolean;
          is_general_calendar: boolean;
          metadata: NonNullable<Json>;
          name: string;
          next_sync_at: string | null;
          phone: string | null;
          role: string | null;
          updated_at: string;
          user_id: string | null;
          working_hours: Json | null;
        };
        Insert: {
          avatar_url?: string | null;
          bio?: string | null;
          calendar_last_synced?: string | null;
          calendar_provider?: string | null;
          calendar_secret_configured?: never;
          calendar_secret_ref?: string | null;
          calendar_source_url?: string | null;
          calendar_sync_error?: string | null;
          calendar_sync_status?: string;
          consecutive_failures?: number;
          created_at?: string;
          default_priority?: number;
          display_order?: number;
          email?: string | null;
          id?: string;
          is_active?: boolean;
          is_bookable?: boolean;
          is_general_calendar?: boolean;
          metadata?: NonNullable<Json>;
          name: string;
          next_sync_at?: string | null;
          phone?: string | null;
          role?: string | null;
          updated_at?: string;
          user_id?: string | null;
          working_hours?: Json | null;
        };
        Update: {
          avatar_url?: string | null;
          bio?: string | null;
          calendar_last_synced?: string | null;
          calendar_provider?: string | null;
          calendar_secret_configured?: never;
          calendar_secret_ref?: string | null;
          calendar_source_url?: string | null;
          calendar_sync_error?: string | null;
          calendar_sync_status?: string;
          consecutive_failures?: number;
          created_at?: string;
          default_priority?: number;
          display_order?: number;
          email?: string | null;
          id?: string;
          is_active?: boolean;
          is_bookable?: boolean;
          is_general_calendar?: boolean;
          metadata?: NonNullable<Json>;
          name?: string;
          next_sync_at?: string | null;
          phone?: string | null;
          role?: string | null;
          updated_at?: string;
          user_id?: string | null;
          working_hours?: Json | null;
        };
        Relationships: [];
      };
      waitlist_entries: {
        Row: {
          booking_id: string | null;
          contact_id: string;
          id: string;
          joined_at: string;
          offer_expires_at: string | null;
          offered_hold_id: string | null;
          offered_starts_at: string | null;
          service_id: string;
          status: string;
          team_member_id: string | null;
          updated_at: string;
          window_end: string;
          window_start: string;
        };
        Insert: {
          booking_id?: string | null;
          contact_id: string;
          id?: string;
          joined_at?: string;
          offer_expires_at?: string | null;
          offered_hold_id?: string | null;
          offered_starts_at?: string | null;
          service_id: string;
          status?: string;
          team_member_id?: string | null;
          updated_at?: string;
          window_end: string;
          window_start: string;
        };
        Update: {
          booking_id?: string | null;
          contact_id?: string;
          id?: string;
          joined_at?: string;
          offer_expires_at?: string | null;
          offered_hold_id?: string | null;
          offered_starts_at?: string | null;
          service_id?: string;
          status?: string;
          team_member_id?: string | null;
          updated_at?: string;
          window_end?: string;
          window_start?: string;
        };
        Relationships: [
          {
            foreignKeyName: "waitlist_entries_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: false;
            referencedRelation: "booking_schedule";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_booking_id_fkey";
            columns: ["booking_id"];
            isOneToOne: false;
            referencedRelation: "bookings";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "waitlist_entries_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "waitlist_entries_offered_hold_id_fkey";
            columns: ["offered_hold_id"];
            isOneToOne: false;
            referencedRelation: "booking_schedule";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_offered_hold_id_fkey";
            columns: ["offered_hold_id"];
            isOneToOne: false;
            referencedRelation: "bookings";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "service_team_members";
            referencedColumns: ["service_id"];
          },
          {
            foreignKeyName: "waitlist_entries_service_id_fkey";
            columns: ["service_id"];
            isOneToOne: false;
            referencedRelation: "services";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "waitlist_entries_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "waitlist_entries_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      whatsapp_inbound_messages: {
        Row: {
          arrival: number;
          business_phone_number_id: string | null;
          contact_id: string;
          context_wa_message_id: string | null;
          handle_attempts: number;
          handled_at: string | null;
          id: string;
          kind: string;
          last_handle_error: string | null;
          next_handle_at: string | null;
          payload: NonNullable<Json>;
          profile_name: string | null;
          received_at: string;
          reply_id: string | null;
          sent_at: string;
          text: string | null;
          wa_message_id: string;
        };
        Insert: {
          arrival?: never;
          business_phone_number_id?: string | null;
          contact_id: string;
          context_wa_message_id?: string | null;
          handle_attempts?: number;
          handled_at?: string | null;
          id?: string;
          kind: string;
          last_handle_error?: string | null;
          next_handle_at?: string | null;
          payload: NonNullable<Json>;
          profile_name?: string | null;
          received_at?: string;
          reply_id?: string | null;
          sent_at: string;
          text?: string | null;
          wa_message_id: string;
        };
        Update: {
          arrival?: never;
          business_phone_number_id?: string | null;
          contact_id?: string;
          context_wa_message_id?: string | null;
          handle_attempts?: number;
          handled_at?: string | null;
          id?: string;
          kind?: string;
          last_handle_error?: string | null;
          next_handle_at?: string | null;
          payload?: NonNullable<Json>;
          profile_name?: string | null;
          received_at?: string;
          reply_id?: string | null;
          sent_at?: string;
          text?: string | null;
          wa_message_id?: string;
        };
        Relationships: [
          {
            foreignKeyName: "whatsapp_inbound_messages_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "whatsapp_inbound_messages_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "whatsapp_inbound_messages_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "whatsapp_inbound_messages_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
        ];
      };
      whatsapp_message_statuses: {
        Row: {
          error_code: number | null;
          error_title: string | null;
          occurred_at: string;
          received_at: string;
          status: string;
          wa_message_id: string;
        };
        Insert: {
          error_code?: number | null;
          error_title?: string | null;
          occurred_at: string;
          received_at?: string;
          status: string;
          wa_message_id: string;
        };
        Update: {
          error_code?: number | null;
          error_title?: string | null;
          occurred_at?: string;
          received_at?: string;
          status?: string;
          wa_message_id?: string;
        };
        Relationships: [];
      };
      whatsapp_outbound_messages: {
        Row: {
          attempts: number;
          claimed_until: string | null;
          contact_id: string;
          created_at: string;
          delivered_at: string | null;
          error_code: number | null;
          error_title: string | null;
          failed_at: string | null;
          id: string;
          in_reply_to: string | null;
          message: NonNullable<Json>;
          next_attempt_at: string;
          purpose: string;
          queue_position: number;
          read_at: string | null;
          sent_at: string | null;
          status: string;
          wa_message_id: string | null;
        };
        Insert: {
          attempts?: number;
          claimed_until?: string | null;
          contact_id: string;
          created_at?: string;
          delivered_at?: string | null;
          error_code?: number | null;
          error_title?: string | null;
          failed_at?: string | null;
          id?: string;
          in_reply_to?: string | null;
          message: NonNullable<Json>;
          next_attempt_at?: string;
          purpose?: string;
          queue_position?: never;
          read_at?: string | null;
          sent_at?: string | null;
          status?: string;
          wa_message_id?: string | null;
        };
        Update: {
          attempts?: number;
          claimed_until?: string | null;
          contact_id?: string;
          created_at?: string;
          delivered_at?: string | null;
          error_code?: number | null;
          error_title?: string | null;
          failed_at?: string | null;
          id?: string;
          in_reply_to?: string | null;
          message?: NonNullable<Json>;
          next_attempt_at?: string;
          purpose?: string;
          queue_position?: never;
          read_at?: string | null;
          sent_at?: string | null;
          status?: string;
          wa_message_id?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "whatsapp_outbound_messages_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "whatsapp_outbound_messages_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "whatsapp_outbound_messages_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "whatsapp_outbound_messages_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "whatsapp_outbound_messages_in_reply_to_fkey";
            columns: ["in_reply_to"];
            isOneToOne: false;
            referencedRelation: "whatsapp_inbound_messages";
            referencedColumns: ["id"];
          },
        ];
      };
      whatsapp_templates: {
        Row: {
          customer_language: string;
          date_format: string;
          purpose: string;
          template_language: string;
          template_name: string;
          time_format: string;
        };
        Insert: {
          customer_language: string;
          date_format?: string;
          purpose: string;
          template_language: string;
          template_name: string;
          time_format?: string;
        };
        Update: {
          customer_language?: string;
          date_format?: string;
          purpose?: string;
          template_language?: string;
          template_name?: string;
          time_format?: string;
        };
        Relationships: [];
      };
    };
    Views: {
      booking_schedule: {
        Row: {
          assigned_strategy: string | null;
          contact_id: string | null;
          customer: string | null;
          ends_at: string | null;
          id: string | null;
          local_end: string | null;
          local_start: string | null;
          service: string | null;
          source: string | null;
          starts_at: string | null;
          status: string | null;
          team_member: string | null;
          team_member_id: string | null;
          whatsapp_id: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "bookings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "contacts";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_booking_history";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "bookings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "customer_preferences";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_contact_id_fkey";
            columns: ["contact_id"];
            isOneToOne: false;
            referencedRelation: "whatsapp_conversation_messages";
            referencedColumns: ["contact_id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      bookings_by_team_member: {
        Row: {
          cancelled: number | null;
          last_30_days: number | null;
          next_booking_at: string | null;
          no_shows: number | null;
          team_member: string | null;
          team_member_id: string | null;
          upcoming: number | null;
          with_preferred_member: number | null;
        };
        Relationships: [];
      };
      business_kpis: {
        Row: {
          change: number | null;
          current_month: number | null;
          kpi: string | null;
          previous_month: number | null;
          unit: string | null;
        };
        Relationships: [];
      };
      calendar_sync_overview: {
        Row: {
          available_slots_next_7_days: number | null;
          calendar_provider: string | null;
          id: string | null;
          last_busy_times: number | null;
          last_error: string | null;
          last_result: string | null;
          last_skipped_components: number | null;
          last_synced: string | null;
          name: string | null;
          next_sync_at: string | null;
          status: string | null;
        };
        Relationships: [];
      };
      customer_booking_history: {
        Row: {
          bookings: number | null;
          cancelled: number | null;
          completed: number | null;
          contact_id: string | null;
          customer: string | null;
          first_booking_at: string | null;
          last_visit_at: string | null;
          next_booking_at: string | null;
          no_shows: number | null;
          preference_rank: number | null;
          team_member: string | null;
          team_member_id: string | null;
          whatsapp_id: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "bookings_by_team_member";
            referencedColumns: ["team_member_id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "calendar_sync_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_member_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "bookings_team_member_id_fkey";
            columns: ["team_member_id"];
            isOneToOne: false;
            referencedRelation: "team_members";
            referencedColumns: ["id"];
          },
        ];
      };
      customer_preferences: {
        Row: {
          detected_from: string | null;
          id: string | null;
          language: string | null;
          last_updated: string | null;
          name: string | null;
          preferred_team_members: string | null;
          summary: string | null;
          whatsapp_id: string | null;
        };
        Insert: {
          detected_from?: never;
          id?: string | null;
          language?: string | null;
          last_updated?: never;
          name?: string | null;
          preferred_team_members?: never;
          summary?: never;
          whatsapp_id?: string | null;
        };
        Update: {
          detected_from?: never;
          id?: string | null;
          language?: string | null;
          last_updated?: never;
          name?: string | null;
          preferred_team_members?: never;
          summary?: never;
          whatsapp_id?: string | null;
        };
        Relationships: [];
      };
      metrics_booking_time: {
        Row: {
          availability_queries: number | null;
          availability_query_ms_p50: number | null;
          availability_query_ms_p90: number | null;
          booked_conversations: number | null;
          booking_minutes_p50: number | null;
          booking_minutes_p90: number | null;
          period: string | null;
          period_start: string | null;
        };
        Relationships: [];
      };
      metrics_calendar_sync: {
        Row: {
          attempts_30_days: number | null;
          attempts_7_days: number | null;
          breakdown: string | null;
          last_error_class_30_days: string | null;
          mean_time_to_recovery_minutes_30_days: number | null;
          mean_time_to_recovery_minutes_7_days: number | null;
          recoveries_30_days: number | null;
          recoveries_7_days: number | null;
          success_percent_30_days: number | null;
          success_percent_7_days: number | null;
          team_member: string | null;
          team_member_id: string | null;
        };
        Relationships: [];
      };
      metrics_customer_satisfaction: {
        Row: {
          assigned_strategy: string | null;
          average_rating: number | null;
          breakdown: string | null;
          low_ratings: number | null;
          period: string | null;
          period_start: string | null;
          preference_outcome: string | null;
          ratings: number | null;
          team_member: string | null;
          team_member_id: string | null;
        };
        Relationships: [];
      };
      metrics_no_shows: {
        Row: {
          appointments: number | null;
          breakdown: string | null;
          iso_weekday: number | null;
          no_show_percent: number | null;
          no_shows: number | null;
          period: string | null;
          period_start: string | null;
          team_member: string | null;
          team_member_id: string | null;
          weekday: string | null;
        };
        Relationships: [];
      };
      metrics_preference_satisfaction: {
        Row: {
          assigned_strategy: string | null;
          bookings_with_preference: number | null;
          breakdown: string | null;
          not_preferred_explicit_other: number | null;
          not_preferred_other: number | null;
          not_preferred_unavailable: number | null;
          not_preferred_urgent: number | null;
          period: string | null;
          period_start: string | null;
          satisfaction_percent: number | null;
          team_member: string | null;
          team_member_id: string | null;
          with_preferred_member: number | null;
        };
        Relationships: [];
      };
      metrics_repeat_bookings: {
        Row: {
          bookings: number | null;
          breakdown: string | null;
          new_customers: number | null;
          period: string | null;
          period_start: string | null;
          repeat_booking_percent: number | null;
          returning_bookings: number | null;
          returning_customers: number | null;
          same_member_as_previous: number | null;
          team_member: string | null;
          team_member_id: string | null;
        };
        Relationships: [];
      };
      metrics_utilisation: {
        Row: {
          bookable_minutes: number | null;
          booked_minutes: number | null;
          bookings: number | null;
          breakdown: string | null;
          flag: string | null;
          load_ratio: number | null;
          period: string | null;
          period_start: string | null;
          share_of_bookable_percent: number | null;
          share_of_booked_percent: number | null;
          team_member: string | null;
          team_member_id: string | null;
          utilisation_dispersion: number | null;
          utilisation_percent: number | null;
        };
        Relationships: [];
      };
      service_team_members: {
        Row: {
          bookable_team_members: number | null;
          is_active: boolean | null;
          needs_a_team_member: boolean | null;
          service: string | null;
          service_id: string | null;
          team_member_count: number | null;
          team_members: string | null;
        };
        Relationships: [];
      };
      team_member_overview: {
        Row: {
          calendar_last_synced: string | null;
          calendar_provider: string | null;
          calendar_secret_configured: boolean | null;
          calendar_sync_error: string | null;
          calendar_sync_status: string | null;
          consecutive_failures: number | null;
          default_priority: number | null;
          id: string | null;
          is_active: boolean | null;
          is_bookable: boolean | null;
          name: string | null;
          next_sync_at: string | null;
          role: string | null;
          services: string | null;
          upcoming_bookings: number | null;
        };
        Insert: {
          calendar_last_synced?: string | null;
          calendar_provider?: string | null;
          calendar_secret_configured?: boolean | null;
          calendar_sync_error?: string | null;
          calendar_sync_status?: string | null;
          consecutive_failures?: number | null;
          default_priority?: number | null;
          id?: string | null;
          is_active?: boolean | null;
          is_bookable?: boolean | null;
          name?: string | null;
          next_sync_at?: string | null;
          role?: string | null;
          services?: never;
          upcoming_bookings?: never;
        };
        Update: {
          calendar_last_synced?: string | null;
          calendar_provider?: string | null;
          calendar_secret_configured?: boolean | null;
          calendar_sync_error?: string | null;
          calendar_sync_status?: string | null;
          consecutive_failures?: number | null;
          default_priority?: number | null;
          id?: string | null;
          is_active?: boolean | null;
          is_bookable?: boolean | null;
          name?: string | null;
          next_sync_at?: string | null;
          role?: string | null;
          services?: never;
          upcoming_bookings?: never;
        };
        Relationships: [];
      };
      whatsapp_conversation_messages: {
        Row: {
          at: string | null;
          choices: string | null;
          contact_id: string | null;
          contact_name: string | null;
          direction: string | null;
          error_code: number | null;
          kind: string | null;
          message_id: string | null;
          status: string | null;
          text: string | null;
          whatsapp_address: string | null;
        };
        Relationships: [];
      };
    };
    Functions: {
      admin_alert_mail_failed: {
        Args: { p_error: string; p_mail_id: number; p_now?: string };
        Returns: string;
      };
      admin_alert_mail_sent: {
        Args: { p_mail_id: number; p_now?: string };
        Returns: undefined;
      };
      admin_assign_team_members: {
        Args: {
          p_primary_team_member_id?: string;
          p_replace?: boolean;
          p_service_id: string;
          p_team_member_ids: string[];
        };
        Returns: number;
      };
      admin_calendar_connect_link: {
        Args: { p_now?: string; p_provider: string; p_team_member_id: string };
        Returns: string;
      };
      admin_mark_no_show: {
        Args: { p_booking_id: string; p_now?: string };
        Returns: undefined;
      };
      admin_release_conversation: {
        Args: { p_contact_id: string };
        Returns: undefined;
      };
      admin_revoke_booking_feed: {
        Args: { p_team_member_id: string };
        Returns: boolean;
      };
      admin_rotate_booking_feed: {
        Args: { p_team_member_id: string };
        Returns: string;
      };
      admin_set_calendar_secret: {
        Args: { p_secret: string; p_team_member_id: string };
        Returns: undefined;
      };
      admin_set_preferred_team_members: {
        Args: {
          p_contact_id: string;
          p_now?: string;
          p_team_member_ids: string[];
        };
        Returns: string[];
      };
      admin_test_calendar_sync: {
        Args: { p_team_member_id: string };
        Returns: number;
      };
      admin_use_calendar_secret: {
        Args: { p_team_member_id: string; p_vault_secret_name: string };
        Returns: undefined;
      };
      book_appointment: {
        Args: {
          p_assigned_strategy: string;
          p_contact_id: string;
          p_hold_id?: string;
          p_now?: string;
          p_preference_snapshot?: Json;
          p_service_id: string;
          p_source?: string;
          p_starts_at: string;
          p_team_member_id: string;
        };
        Returns: string;
      };
      booking_options: {
        Args: {
          p_contact_id: string;
          p_from: string;
          p_mode?: string;
          p_now?: string;
          p_requested_team_member_id?: string;
          p_service_id: string;
          p_to: string;
        };
        Returns: {
          ends_at: string;
          kind: string;
          option_number: number;
          outcome: string;
          starts_at: string;
          team_member_id: string;
          team_member_name: string;
        }[];
      };
      business_kpis_at: {
        Args: { p_now: string };
        Returns: {
          change: number;
          current_month: number;
          kpi: string;
          previous_month: number;
          unit: string;
        }[];
      };
      calendar_sync_targets: {
        Args: {
          p_now?: string;
          p_only_due?: boolean;
          p_team_member_id?: string;
        };
        Returns: {
          calendar_provider: string;
          calendar_secret_ref: string;
          calendar_source_url: string;
          etag: string;
          last_modified: string;
          name: string;
          team_member_id: string;
        }[];
      };
      calendar_syncs_waiting: { Args: { p_now?: string }; Returns: boolean };
      cancel_booking: {
        Args: { p_booking_id: string; p_now?: string };
        Returns: undefined;
      };
      claim_admin_alert_mails: {
        Args: { p_lease_minutes?: number; p_now?: string };
        Returns: {
          attempt: number;
          business_name: string;
          events: Json;
          mail_id: number;
          recipients: string[];
        }[];
      };
      claim_calendar_syncs: {
        Args: {
          p_lease?: string;
          p_limit?: number;
          p_now?: string;
          p_only_due?: boolean;
          p_team_member_id?: string;
        };
        Returns: {
          calendar_provider: string;
          calendar_secret_ref: string;
          calendar_source_url: string;
          etag: string;
          last_modified: string;
          name: string;
          team_member_id: string;
        }[];
      };
      claim_calendar_writebacks: {
        Args: { p_limit?: number; p_now?: string };
        Returns: {
          action: string;
          booking_id: string;
          booking_status: string;
          calendar_secret_ref: string;
          calendar_source_url: string;
          customer_name: string;
          ends_at: string;
          event_href: string;
          queue_id: number;
          service_name: string;
          starts_at: string;
          team_member_id: string;
          team_member_name: string;
        }[];
      };
      complete_calendar_writeback: {
        Args: { p_event_href?: string; p_queue_id: number };
        Returns: undefined;
      };
      fail_calendar_writeback: {
        Args: { p_error: string; p_now?: string; p_queue_id: number };
        Returns: undefined;
      };
      get_availability: {
        Args: {
          p_date: string;
          p_now?: string;
          p_service_id: string;
          p_team_member_id: string;
        };
        Returns: Json;
      };
      get_available_slots: {
        Args: {
          p_from: string;
          p_now?: string;
          p_service_id: string;
          p_team_member_ids?: string[];
          p_to: string;
        };
        Returns: {
          ends_at: string;
          starts_at: string;
          team_member_id: string;
        }[];
      };
      hold_slot: {
        Args: {
          p_contact_id: string;
          p_now?: string;
          p_service_id: string;
          p_starts_at: string;
          p_team_member_id: string;
        };
        Returns: string;
      };
      join_waitlist: {
        Args: {
          p_contact_id: string;
          p_now?: string;
          p_service_id: string;
          p_team_member_id?: string;
          p_window_end: string;
          p_window_start: string;
        };
        Returns: string;
      };
      make_all_calendars_due: { Args: { p_now?: string }; Returns: number };
      mark_calendar_unchanged: {
        Args: {
          p_duration_ms?: number;
          p_now?: string;
          p_team_member_id: string;
        };
        Returns: undefined;
      };
      metrics_calendar_sync_at: {
        Args: { p_now: string };
        Returns: {
          attempts_30_days: number;
          attempts_7_days: number;
          breakdown: string;
          last_error_class_30_days: string;
          mean_time_to_recovery_minutes_30_days: number;
          mean_time_to_recovery_minutes_7_days: number;
          recoveries_30_days: number;
          recoveries_7_days: number;
          success_percent_30_days: number;
          success_percent_7_days: number;
          team_member: string;
          team_member_id: string;
        }[];
      };
      rank_team_members: {
        Args: {
          p_contact_id: string;
          p_from: string;
          p_mode?: string;
          p_now?: string;
          p_requested_team_member_id?: string;
          p_service_id: string;
          p_to: string;
        };
        Returns: {
          name: string;
          reasons: Json;
          score: number;
          slot_ends_at: string;
          slot_starts_at: string;
          team_member_id: string;
        }[];
      };
      record_booking_rating: {
        Args: {
          p_booking_id: string;
          p_comment?: string;
          p_now?: string;
          p_rating: number;
          p_source?: string;
        };
        Returns: string;
      };
      record_sync_failure: {
        Args: {
          p_duration_ms?: number;
          p_error: string;
          p_now?: string;
          p_team_member_id: string;
        };
        Returns: string;
      };
      refresh_availability_cache: {
        Args: { p_days: number; p_from: string; p_team_member_ids?: string[] };
        Returns: number;
      };
      remember_preference: {
        Args: {
          p_contact_id: string;
          p_detected_from: string;
          p_now?: string;
          p_team_member_id: string;
        };
        Returns: string[];
      };
      replace_busy_times: {
        Args: {
          p_duration_ms?: number;
          p_etag?: string;
          p_intervals: Json;
          p_keep_uids?: string[];
          p_keep_unlisted?: boolean;
          p_last_modified?: string;
          p_now?: string;
          p_skipped?: number;
          p_team_member_id: string;
          p_window_end: string;
          p_window_start: string;
        };
        Returns: number;
      };
      reschedule_booking: {
        Args: {
          p_booking_id: string;
          p_new_starts_at: string;
          p_new_team_member_id?: string;
          p_now?: string;
        };
        Returns: string;
      };
    };
    Enums: {
      [_ in never]: never;
    };
    CompositeTypes: {
      [_ in never]: never;
    };
  };
};

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">;

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">];

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof (
      & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
      & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"]
    )
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals;
} ? (
    & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"]
  )[TableName] extends {
    Row: infer R;
  } ? R
  : never
  : DefaultSchemaTableNameOrOptions extends keyof (
    & DefaultSchema["Tables"]
    & DefaultSchema["Views"]
  ) ? (
      & DefaultSchema["Tables"]
      & DefaultSchema["Views"]
    )[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R;
    } ? R
    : never
  : never;

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals;
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends
    {
      Insert: infer I;
    } ? I
  : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I;
    } ? I
    : never
  : never;

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals;
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends
    {
      Update: infer U;
    } ? U
  : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U;
    } ? U
    : never
  : never;

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals;
} ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never;

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals;
} ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][
    CompositeTypeName
  ]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never;

export const Constants = {
  private: {
    Enums: {},
  },
  public: {
    Enums: {},
  },
} as const;
