// Who is logged in, for the whole app: loaded from /api/v1/auth/me, cleared at logout.
import { reactive } from 'vue';
import { api, ApiError, type Principal } from './api';

export const session = reactive<{ user: Principal | null; loaded: boolean }>({ user: null, loaded: false });

export async function loadSession(): Promise<Principal | null> {
  try {
    session.user = await api<Principal>('GET', '/api/v1/auth/me');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    session.user = null;
  }
  session.loaded = true;
  return session.user;
}

export async function login(loginName: string, password: string) {
  await api('POST', '/api/v1/auth/login', { body: { login: loginName, password } });
  return loadSession();
}

export async function logout() {
  try {
    await api('POST', '/api/v1/auth/logout');
  } finally {
    session.user = null;
  }
}

export const can = (permission: string) => session.user?.permissions.includes(permission) ?? false;
