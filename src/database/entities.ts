import { PlanAction, PlanActionProgress, Recommendation, RecommendationTheme } from '../actions/action-plan.entities.js';
import { Agency } from '../agencies/agency.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { AuthSession } from '../auth/auth-session.entity.js';
import { ChronologyEntry, ChronologySubmission } from '../chronologies/chronology.entities.js';
import { CaseHold, CaseSubject, CaseTransition, ReviewCase } from '../cases/case.entities.js';
import { ContributionRequest } from '../contributions/contribution-request.entity.js';
import { CaseDocument } from '../documents/case-document.entity.js';
import { FamilyContact } from '../family-contacts/family-contact.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { PanelMember } from '../panel/panel-member.entity.js';
import { Partnership } from '../partnerships/partnership.entity.js';
import { CaseTheme } from '../themes/case-theme.entity.js';
import { ProtectedTerm, Publication } from '../publication/publication.entities.js';
import { QaSubmission } from '../qa/qa-submission.entity.js';
import { LearningTheme } from '../themes/learning-theme.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity, listed explicitly so the ESM build needs no file globbing. */
export const entities = [
  Partnership,
  Agency,
  User,
  AuthSession,
  AuditEvent,
  LearningTheme,
  ReviewCase,
  CaseSubject,
  CaseTransition,
  CaseHold,
  PanelMember,
  ContributionRequest,
  FamilyContact,
  ChronologySubmission,
  ChronologyEntry,
  CaseDocument,
  QaSubmission,
  ProtectedTerm,
  Publication,
  Notification,
  CaseTheme,
  Recommendation,
  RecommendationTheme,
  PlanAction,
  PlanActionProgress,
];
