import { Foundation1764216000000 } from './1764216000000-Foundation.js';
import { Cases1764302400000 } from './1764302400000-Cases.js';
import { Milestones1764388800000 } from './1764388800000-Milestones.js';
import { SpentRefreshTokens1764475200000 } from './1764475200000-SpentRefreshTokens.js';
import { ContributionResolution1764561600000 } from './1764561600000-ContributionResolution.js';
import { CaseSearchIndexes1764648000000 } from './1764648000000-CaseSearchIndexes.js';
import { MilestoneState1764734400000 } from './1764734400000-MilestoneState.js';
import { RateLimits1764820800000 } from './1764820800000-RateLimits.js';
import { SignInLocks1764822600000 } from './1764822600000-SignInLocks.js';
import { Documents1764900000000 } from './1764900000000-Documents.js';
import { Chronologies1764910000000 } from './1764910000000-Chronologies.js';
import { ChronologyOrder1764915000000 } from './1764915000000-ChronologyOrder.js';
import { ActionPlans1764920000000 } from './1764920000000-ActionPlans.js';
import { QaSubmissions1764930000000 } from './1764930000000-QaSubmissions.js';
import { Publication1764940000000 } from './1764940000000-Publication.js';
import { ApiClients1764960000000 } from './1764960000000-ApiClients.js';
import { PublicPage1764970000000 } from './1764970000000-PublicPage.js';
import { AuditPartitions1764980000000 } from './1764980000000-AuditPartitions.js';
import { PrincipalChangeNotices1764990000000 } from './1764990000000-PrincipalChangeNotices.js';
import { HotPathIndexes1765000000000 } from './1765000000000-HotPathIndexes.js';
import { ActionAgencyOrder1765010000000 } from './1765010000000-ActionAgencyOrder.js';
import { AuditChain1765020000000 } from './1765020000000-AuditChain.js';
import { SignInUnlock1765030000000 } from './1765030000000-SignInUnlock.js';
import { RefusalTally1765040000000 } from './1765040000000-RefusalTally.js';

/** Every migration, in order. A new migration is added here as well. */
export const migrations = [
  Foundation1764216000000,
  Cases1764302400000,
  Milestones1764388800000,
  SpentRefreshTokens1764475200000,
  ContributionResolution1764561600000,
  CaseSearchIndexes1764648000000,
  MilestoneState1764734400000,
  RateLimits1764820800000,
  SignInLocks1764822600000,
  Documents1764900000000,
  Chronologies1764910000000,
  ChronologyOrder1764915000000,
  ActionPlans1764920000000,
  QaSubmissions1764930000000,
  Publication1764940000000,
  ApiClients1764960000000,
  PublicPage1764970000000,
  AuditPartitions1764980000000,
  PrincipalChangeNotices1764990000000,
  HotPathIndexes1765000000000,
  ActionAgencyOrder1765010000000,
  AuditChain1765020000000,
  SignInUnlock1765030000000,
  RefusalTally1765040000000,
];
