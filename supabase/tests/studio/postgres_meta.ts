// Runs @supabase/postgres-meta, the service Supabase Studio reads the schema through, against a
// database, and reads the schema the way Studio does. The package is the one pinned in
// package.json (installed by `npm ci`); it runs on node, as in Supabase's own image.

const projectDir = new URL("../../../", import.meta.url).pathname;
const serverScript = `${projectDir}node_modules/@supabase/postgres-meta/dist/server/server.js`;

export type MetaColumn = { name: string; comment: string | null };
export type MetaTable = {
  id: number;
  schema: string;
  name: string;
  rls_enabled: boolean;
  comment: string | null;
  columns?: MetaColumn[];
};
export type MetaView = Omit<MetaTable, "rls_enabled">;
export type MetaFunction = {
  id: number;
  schema: string;
  name: string;
  identity_argument_types: string;
  return_type: string;
};
export type MetaPolicy = { schema: string; table: string; table_id: number; name: string };
/** What /functions does not say: the comment, and whether an extension owns the function. */
export type FunctionFacts = { id: number; comment: string | null; from_extension: boolean };

export type StudioSchema = {
  tables: MetaTable[];
  views: MetaView[];
  functions: MetaFunction[];
  policies: MetaPolicy[];
  functionFacts: FunctionFacts[];
};

export class PostgresMeta {
  #process: Deno.ChildProcess;
  readonly baseUrl: string;

  private constructor(process: Deno.ChildProcess, port: number) {
    this.#process = process;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** Starts the server (port and port + 1, its admin app) and waits until it answers. */
  static async start(dbUrl: string, port: number): Promise<PostgresMeta> {
    const child = new Deno.Command("node", {
      args: ["--no-warnings", serverScript],
      env: {
        PG_META_DB_URL: dbUrl,
        PG_META_HOST: "127.0.0.1",
        PG_META_PORT: String(port),
      },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const meta = new PostgresMeta(child, port);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const response = await fetch(`${meta.baseUrl}/schemas`);
        await response.body?.cancel();
        if (response.ok) return meta;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await meta.stop();
        throw new Error(`postgres-meta did not answer on port ${port} within 30 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`);
    const body = await response.text();
    if (!response.ok) throw new Error(`postgres-meta GET ${path}: ${response.status} ${body}`);
    return JSON.parse(body) as T;
  }

  /** Studio's SQL path (POST /query), for what the list endpoints leave out. */
  async query<T>(sql: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}/query`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: sql }),
    });
    const body = await response.text();
    if (!response.ok) throw new Error(`postgres-meta POST /query: ${response.status} ${body}`);
    return JSON.parse(body) as T;
  }

  /** The schema objects of one schema, as Studio's table editor and database pages list them. */
  async schema(name: string): Promise<StudioSchema> {
    const included = `included_schemas=${encodeURIComponent(name)}`;
    const [tables, views, functions, policies] = await Promise.all([
      this.get<MetaTable[]>(`/tables?${included}&include_columns=true`),
      this.get<MetaView[]>(`/views?${included}&include_columns=true`),
      this.get<MetaFunction[]>(`/functions?${included}`),
      this.get<MetaPolicy[]>(`/policies?${included}`),
    ]);
    // /functions carries no comment; Studio's function page reads it with SQL like this.
    const functionFacts = await this.query<FunctionFacts[]>(`
      select p.oid::int8 as id,
             obj_description(p.oid, 'pg_proc') as comment,
             exists (select 1 from pg_depend d
                     where d.classid = 'pg_proc'::regclass and d.objid = p.oid
                       and d.deptype = 'e') as from_extension
      from pg_proc p
      where p.pronamespace = '${name.replaceAll("'", "''")}'::regnamespace`);
    return { tables, views, functions, policies, functionFacts };
  }

  async stop(): Promise<void> {
    try {
      this.#process.kill("SIGTERM");
    } catch {
      // already gone
    }
    await this.#process.stderr.cancel();
    await this.#process.status;
  }
}
