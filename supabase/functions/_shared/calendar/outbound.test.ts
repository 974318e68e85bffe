// The address rules of outbound.ts, checked against a deliberately simple second implementation
// (a list of CIDR blocks) on random and edge-case IPv4 addresses, plus IPv6 cases by hand.
import assert from "node:assert/strict";
import { assertAllowedDestination, isPublicAddress, REFUSED_ADDRESS } from "./outbound.ts";

const NON_PUBLIC_V4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
];

const toInt = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
function simpleIsPublic(ip: string): boolean {
  return !NON_PUBLIC_V4.some((block) => {
    const [base, bits] = block.split("/");
    const size = 2 ** (32 - Number(bits));
    return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
  });
}

Deno.test("IPv4: the same answer as a plain CIDR list, on 20,000 random and every block's edges", () => {
  let seed = 14;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const addresses: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    addresses.push(Array.from({ length: 4 }, () => Math.floor(random() * 256)).join("."));
  }
  for (const block of NON_PUBLIC_V4) {
    const [base, bits] = block.split("/");
    const first = toInt(base);
    const last = first + 2 ** (32 - Number(bits)) - 1;
    for (const n of [first - 1, first, last, last + 1]) {
      if (n < 0 || n > 2 ** 32 - 1) continue;
      addresses.push([24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join("."));
    }
  }
  for (const ip of addresses) assert.equal(isPublicAddress(ip), simpleIsPublic(ip), ip);
});

Deno.test("IPv6: loopback, private, link-local, mapped and NAT64 forms of private IPv4 are not public", () => {
  for (
    const ip of [
      "::",
      "::1",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "::ffff:a9fe:a9fe",
      "64:ff9b::10.0.0.1",
      "2001:db8::1",
      "[::1]",
      "::127.0.0.1",
      "not an address",
    ]
  ) assert.equal(isPublicAddress(ip), false, ip);
  for (
    const ip of [
      "2a00:1450:4001:82a::200e",
      "::ffff:8.8.8.8",
      "64:ff9b::8.8.8.8",
      "2606:4700::1111",
    ]
  ) {
    assert.equal(isPublicAddress(ip), true, ip);
  }
});

Deno.test("destinations: every refusal says the same thing; the allow-list exempts exact host:port pairs", async () => {
  const policy = { timeoutMs: 1000, maxBytes: 1000, allowPrivateHosts: ["127.0.0.1:8080"] };
  for (
    const url of [
      "http://127.0.0.1/",
      "http://127.0.0.1:8081/",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.1.2.3/",
      "http://[::1]:8080/",
      "http://2130706433/", // 127.0.0.1 as one number
      "http://0x7f.1/",
      "file:///etc/passwd",
      "ftp://example.com/",
      "http://name-that-does-not-resolve.invalid/",
    ]
  ) {
    await assert.rejects(
      () => assertAllowedDestination(new URL(url), policy),
      (error: Error) => error.message === REFUSED_ADDRESS,
      url,
    );
  }
  await assertAllowedDestination(new URL("http://127.0.0.1:8080/feed.ics"), policy);
});
