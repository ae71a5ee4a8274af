/**
 * The console's screens: which roles see each in the navigation, and the module that draws it
 * (loaded on first visit, so the first page load carries only the shell).
 */
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { Messages } from '../i18n/en/common';

export type Role = 'AUDITOR' | 'CORE_ENTERPRISE' | 'LENDER' | 'LOGISTICS' | 'PLATFORM_ADMIN' | 'SUPPLIER';

export interface Screen {
  path: string;
  label: keyof Messages['nav'];
  /** Roles that see it in the navigation; empty: everyone. */
  roles: Role[];
  page: LazyExoticComponent<ComponentType<{ path: string[] }>>;
  /** Reached by its address only (e.g. #/lineage/<id>), never listed in the navigation. */
  hidden?: boolean;
}

export const screens: Screen[] = [
  {
    path: 'confirmations',
    label: 'confirmations',
    roles: ['CORE_ENTERPRISE'],
    page: lazy(() => import('./core/confirmations')),
  },
  {
    path: 'payables',
    label: 'payables',
    roles: ['CORE_ENTERPRISE'],
    page: lazy(() => import('./core/payables')),
  },
  {
    path: 'receivables',
    label: 'receivables',
    roles: ['SUPPLIER'],
    page: lazy(() => import('./supplier/receivables')),
  },
  {
    path: 'financing',
    label: 'financing',
    roles: ['SUPPLIER'],
    page: lazy(() => import('./supplier/financing')),
  },
  {
    path: 'requests',
    label: 'requests',
    roles: ['LENDER'],
    page: lazy(() => import('./lender/requests')),
  },
  {
    path: 'portfolio',
    label: 'portfolio',
    roles: ['LENDER'],
    page: lazy(() => import('./lender/portfolio')),
  },
  {
    path: 'alerts',
    label: 'alerts',
    roles: ['LENDER'],
    page: lazy(() => import('./lender/alerts')),
  },
  {
    path: 'exposure',
    label: 'exposure',
    roles: ['CORE_ENTERPRISE', 'SUPPLIER', 'LENDER', 'AUDITOR', 'PLATFORM_ADMIN'],
    page: lazy(() => import('./exposure/exposure-page')),
  },
  // Every party sees its own events; auditors and administrators see all of them (the ledger decides).
  { path: 'events', label: 'events', roles: [], page: lazy(() => import('./auditor/events')) },
  {
    path: 'log',
    label: 'log',
    roles: ['AUDITOR', 'PLATFORM_ADMIN'],
    page: lazy(() => import('./auditor/log-state')),
  },
  { path: 'verify', label: 'verify', roles: [], page: lazy(() => import('./verify/verify-page')) },
  {
    path: 'lineage',
    label: 'lineage',
    roles: [],
    hidden: true,
    page: lazy(() => import('./lineage/lineage-page')),
  },
];

export function screensFor(roles: readonly string[]): Screen[] {
  return screens.filter(
    (screen) => screen.roles.length === 0 || screen.roles.some((role) => roles.includes(role)),
  );
}
