import { z } from "zod";

/**
 * A provider's optional IP allow-list: exact addresses (IPv4 or IPv6) or IPv4 CIDR ranges.
 * An empty list admits every address.
 */
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+(?::\d+\.\d+\.\d+\.\d+)?$/i;

export const allowListEntrySchema = z
  .string()
  .trim()
  .refine((entry) => {
    const [address, bits, ...rest] = entry.split("/");
    if (rest.length > 0 || !address) return false;
    if (bits === undefined) return IPV4.test(address) || (IPV6.test(address) && address.includes(":"));
    return IPV4.test(address) && /^\d{1,2}$/.test(bits) && Number(bits) <= 32;
  }, "an IPv4/IPv6 address or an IPv4 CIDR range like 203.0.113.0/24");

export function addressAllowed(allowList: readonly string[], address: string | undefined): boolean {
  if (allowList.length === 0) return true;
  if (!address) return false;
  const ip = address.startsWith("::ffff:") && IPV4.test(address.slice(7)) ? address.slice(7) : address;
  return allowList.some((entry) => matches(entry, ip));
}

function matches(entry: string, ip: string): boolean {
  const [base, bits] = entry.split("/");
  if (bits === undefined) return base!.toLowerCase() === ip.toLowerCase();
  if (!IPV4.test(ip)) return false;
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (ipv4Number(base!) & mask) >>> 0 === (ipv4Number(ip) & mask) >>> 0;
}

function ipv4Number(ip: string): number {
  return ip.split(".").reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}
