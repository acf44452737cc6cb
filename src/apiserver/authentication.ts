// Who sent a request: the admin bearer token, or a client certificate signed by the cluster CA
// (CN is the user, each O a group). Undefined when the request carries no valid credentials.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { timingSafeEqual } from 'node:crypto';
import type { UserInfo } from './registry/context.js';

export type Authenticator = (req: IncomingMessage) => UserInfo | undefined;

export function tokenAndCertificateAuthenticator(adminToken: string): Authenticator {
  const admin = Buffer.from(adminToken);
  return (req) => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = Buffer.from(auth.slice(7).trim());
      if (token.length === admin.length && timingSafeEqual(token, admin)) return { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
      return undefined;
    }
    const socket = req.socket as TLSSocket;
    if (!socket.authorized) return undefined;
    // A connection's certificate never changes: decode it once, not on every request it carries.
    if (certificateUsers.has(socket)) return certificateUsers.get(socket);
    const user = certificateUser(socket);
    certificateUsers.set(socket, user);
    return user;
  };
}

export const anonymousUser: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

const certificateUsers = new WeakMap<TLSSocket, UserInfo | undefined>();

function certificateUser(socket: TLSSocket): UserInfo | undefined {
  const subject = socket.getPeerCertificate().subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const cn = subject?.CN;
  const o = subject?.O;
  const name = Array.isArray(cn) ? cn[0] : cn;
  return name ? { name, groups: [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated'] } : undefined;
}
