-- The tests.* helpers behave as Supabase's auth does (install.sql must have run).
begin;
select plan(4);
select has_function('tests', 'authenticate_as', array['text'], 'tests.authenticate_as exists');
select tests.create_supabase_user('hooks_probe');
select tests.authenticate_as('hooks_probe');
select is(auth.uid(), tests.get_supabase_uid('hooks_probe'), 'auth.uid() reads sub from request.jwt.claims');
select is(auth.role(), 'authenticated', 'auth.role() reads role from request.jwt.claims');
select tests.clear_authentication();
select is(auth.uid(), null, 'without claims auth.uid() is null');
select * from finish();
rollback;
