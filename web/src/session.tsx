import { createContext, useContext } from 'react';
import type { Capabilities } from './api/capabilities.js';

export type Role = 'viewer' | 'launcher' | 'admin';
const RANK: Record<Role, number> = { viewer: 0, launcher: 1, admin: 2 };

export interface Session {
  me: { name: string; role: Role; expiresAt: string | null };
  caps: Capabilities;
  signOut(message?: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export function hasRole(session: Session, needed: Role): boolean {
  return RANK[session.me.role] >= RANK[needed];
}
