import type { Principal } from '../auth/grants.js';
import type { EventLog } from '../log/event-log.js';
import type { Registry } from '../registry/registry.js';
import type { Fanout } from '../fanout/fanout.js';
import type { GroupService } from '../groups/group-service.js';
import type { StoredEvent } from '../events/envelope.js';
import type { FilterLimits } from '../events/filter-input.js';
import type { PublishService } from '../publish/publish-service.js';
import type { PublishCursorSource } from '../publish/publish-cursor.js';
import type { TokenService } from '../auth/token-service.js';
import type { SubscriptionTracker } from '../auth/subscription-tracker.js';
import type { TokenSession } from '../auth/token-session.js';
import type { ResumePoint } from './result-positions.js';

/** What resolvers reach: the gateway's parts, built once per process. */
export interface GatewayServices {
  readonly registry: Registry;
  readonly log: EventLog;
  readonly fanout: Fanout<StoredEvent>;
  readonly publishing: PublishService;
  readonly publishCursors: PublishCursorSource;
  readonly tokens: TokenService;
  readonly subscriptions: SubscriptionTracker;
  /** Consumer groups with members on this instance (`consume`, `ack`). */
  readonly groups: GroupService<StoredEvent>;
  /** Limits of subscription filters. @default DEFAULT_FILTER_LIMITS (events/filter-input.ts) */
  readonly filterLimits?: FilterLimits;
}

/** The context of one GraphQL operation, over HTTP, SSE or WebSocket alike. */
export interface GatewayContext {
  readonly services: GatewayServices;
  /** Decided once per operation at the edge (use-auth); resolvers never see a missing one. */
  readonly principal: Principal;
  readonly requestId: string;
  /** Aborted when the connection that carries the operation goes away or its token is revoked. */
  readonly signal?: AbortSignal;
  /** The token of the WebSocket connection that carries the operation; `authenticate` renews it. */
  readonly tokenSession?: TokenSession;
  /**
   * Where the subscription's source stands, for the results it yields (result-positions.ts);
   * set by the subscribe step, written by the subscription.
   */
  readonly resumePoint?: ResumePoint;
  /**
   * The SSE `Last-Event-ID` the client reconnected with: the cursor to go on from, in place of
   * the operation's `from`.
   */
  readonly lastEventId?: string;
}
