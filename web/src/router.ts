// The app's pages. Pages that need a permission say so; the navigation shows only what the
// user's role allows, and the router refuses the rest.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { session, loadSession, can } from './session';

export interface NavItem {
  path: string;
  label: string; // i18n key
  icon: string;
  permission?: string;
}

export const navItems: NavItem[] = [
  { path: '/', label: 'nav.home', icon: 'HomeFilled' },
  { path: '/events', label: 'nav.events', icon: 'Bell' },
  { path: '/command', label: 'nav.command', icon: 'DataAnalysis', permission: 'view_figures' },
  { path: '/phone', label: 'nav.phone', icon: 'Iphone', permission: 'keep_registry' },
  { path: '/map', label: 'nav.map', icon: 'MapLocation' },
  { path: '/registry', label: 'nav.registry', icon: 'Avatar', permission: 'keep_registry' },
  { path: '/grid-import', label: 'nav.gridImport', icon: 'Upload', permission: 'manage_grid' },
  { path: '/users', label: 'nav.users', icon: 'User', permission: 'view_users' },
  { path: '/audit', label: 'nav.audit', icon: 'Document', permission: 'view_audit' },
  { path: '/api-keys', label: 'nav.apiKeys', icon: 'Key', permission: 'manage_api_keys' },
  { path: '/account', label: 'nav.account', icon: 'Setting' },
];

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  { path: '/report', name: 'report', component: () => import('./views/PublicReportView.vue'), meta: { public: true, open: true } },
  { path: '/track/:code?', name: 'track', component: () => import('./views/TrackView.vue'), meta: { public: true, open: true } },
  {
    path: '/',
    component: () => import('./views/ShellLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./views/HomeView.vue') },
      { path: 'events', name: 'events', component: () => import('./views/EventsView.vue') },
      { path: 'events/:id(\\d+)', name: 'event', component: () => import('./views/EventDetailView.vue') },
      { path: 'command', name: 'command', component: () => import('./command/CommandView.vue'), meta: { permission: 'view_figures' } },
      { path: 'map', name: 'map', component: () => import('./views/MapView.vue') },
      { path: 'registry', name: 'registry', component: () => import('./views/RegistryView.vue'), meta: { permission: 'keep_registry' } },
      { path: 'registry/:id(\\d+)', name: 'person', component: () => import('./views/PersonView.vue'), meta: { permission: 'keep_registry' } },
      { path: 'registry/places/:id(\\d+)', name: 'place', component: () => import('./registry/PlaceView.vue'), meta: { permission: 'keep_registry' } },
      { path: 'registry/addresses/:id(\\d+)', name: 'address', component: () => import('./registry/AddressView.vue'), meta: { permission: 'keep_registry' } },
      { path: 'registry/orgs/:id(\\d+)', name: 'organisation', component: () => import('./registry/OrganisationView.vue'), meta: { permission: 'keep_registry' } },
      { path: 'registry/households/:id(\\d+)', name: 'household', component: () => import('./registry/HouseholdView.vue'), meta: { permission: 'keep_registry' } },
      { path: 'grid-import', name: 'grid-import', component: () => import('./views/GridImportView.vue'), meta: { permission: 'manage_grid' } },
      { path: 'users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { permission: 'view_users' } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { permission: 'view_audit' } },
      { path: 'api-keys', name: 'api-keys', component: () => import('./views/ApiKeysView.vue'), meta: { permission: 'manage_api_keys' } },
      { path: 'account', name: 'account', component: () => import('./views/AccountView.vue') },
    ],
  },
  {
    path: '/phone',
    component: () => import('./phone/PhoneLayout.vue'),
    meta: { permission: 'keep_registry' },
    children: [
      { path: '', name: 'phone', component: () => import('./phone/TasksView.vue'), meta: { permission: 'keep_registry' } },
      { path: 'report', name: 'phone-report', component: () => import('./phone/ReportView.vue'), meta: { permission: 'keep_registry' } },
      { path: 'patrol', name: 'phone-patrol', component: () => import('./phone/PatrolView.vue'), meta: { permission: 'keep_registry' } },
    ],
  },
  { path: '/screen', name: 'screen', component: () => import('./command/CommandView.vue'), props: { screen: true }, meta: { permission: 'view_figures' } },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (to.meta.open) return true;
  if (!session.loaded) await loadSession();
  if (to.meta.open) return true;  // the public pages, signed in or not
  if (to.meta.public) return session.user && to.name === 'login' ? { path: '/' } : true;
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  // a grid worker on a phone starts on 网格通
  if (to.path === '/' && ['grid_worker', 'grid_head'].includes(session.user.role) && matchMedia('(max-width: 768px)').matches) return { path: '/phone' };
  const permission = to.meta.permission as string | undefined;
  if (permission && !can(permission)) return { path: '/' };
  return true;
});
