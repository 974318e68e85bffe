// Prints the local anon and service_role keys: JWTs signed with the local JWT secret, the same
// claims Supabase's local keys carry.
import { SignJWT } from "jose";

const secret = new TextEncoder().encode(Deno.args[0]);
const sign = (role: string) =>
  new SignJWT({ role, iss: "supabase-demo" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(1641769200)
    // Supabase's own demo keys expire in January 2027; a local stack must not stop working on a
    // date, so ours last until 2100.
    .setExpirationTime(4102444800)
    .sign(secret);

console.log(`SUPABASE_ANON_KEY=${await sign("anon")}`);
console.log(`SUPABASE_SERVICE_ROLE_KEY=${await sign("service_role")}`);
