import type { FeatureManifest } from './common/feature-manifest.js';
import { accessFeature } from './access/access.manifest.js';
import { actionsFeature } from './actions/actions.manifest.js';
import { agenciesFeature } from './agencies/agencies.manifest.js';
import { auditFeature } from './audit/audit.manifest.js';
import { authFeature } from './auth/auth.manifest.js';
import { caseLinksFeature } from './case-links/case-links.manifest.js';
import { casesFeature } from './cases/cases.manifest.js';
import { chronologiesFeature } from './chronologies/chronologies.manifest.js';
import { clientsFeature } from './clients/clients.manifest.js';
import { contributionsFeature } from './contributions/contributions.manifest.js';
import { documentsFeature } from './documents/documents.manifest.js';
import { familyContactsFeature } from './family-contacts/family-contacts.manifest.js';
import { healthFeature } from './health/health.manifest.js';
import { homeOfficeCorrespondenceFeature } from './home-office-correspondence/home-office-correspondence.manifest.js';
import { milestonesFeature } from './milestones/milestones.manifest.js';
import { notificationsFeature } from './notifications/notifications.manifest.js';
import { panelFeature } from './panel/panel.manifest.js';
import { partnershipsFeature } from './partnerships/partnerships.manifest.js';
import { publicPageFeature } from './public-page/public-page.manifest.js';
import { publicationFeature } from './publication/publication.manifest.js';
import { qaFeature } from './qa/qa.manifest.js';
import { reportsFeature } from './reports/reports.manifest.js';
import { themesFeature } from './themes/themes.manifest.js';
import { usersFeature } from './users/users.manifest.js';

/**
 * Every feature module of the application, in the order Nest imports them.
 * A new module is added here, by one line, and nowhere else in the core
 * (docs/architecture.md, "Adding a feature module").
 */
export const FEATURES: readonly FeatureManifest[] = [
  auditFeature,
  accessFeature,
  authFeature,
  clientsFeature,
  usersFeature,
  partnershipsFeature,
  agenciesFeature,
  themesFeature,
  casesFeature,
  panelFeature,
  contributionsFeature,
  familyContactsFeature,
  caseLinksFeature,
  chronologiesFeature,
  documentsFeature,
  actionsFeature,
  qaFeature,
  homeOfficeCorrespondenceFeature,
  publicationFeature,
  publicPageFeature,
  milestonesFeature,
  notificationsFeature,
  reportsFeature,
  healthFeature,
];
