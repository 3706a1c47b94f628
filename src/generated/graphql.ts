export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An RFC 3339 date-time, e.g. 2026-11-24T17:48:23.000Z. */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** A "addon.attachment.created" event. */
export type AddonAttachmentCreated = Event & {
  __typename?: 'AddonAttachmentCreated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: AddonAttachmentCreatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An add-on was attached to an app, its own or another one, under a name. */
export type AddonAttachmentCreatedData = {
  __typename?: 'AddonAttachmentCreatedData';
  /** The attached add-on. */
  addon: AddonAttachmentCreatedDataAddon;
  /** The app the add-on is attached to. */
  app: AddonAttachmentCreatedDataApp;
  /** The config vars the attachment sets on the app (names only). */
  config_vars?: Maybe<Array<Scalars['String']['output']>>;
  /** When the attachment was made. */
  created_at: Scalars['DateTime']['output'];
  /** The attachment id. */
  id: Scalars['String']['output'];
  /** The attachment name; its config vars start with it (DATABASE → DATABASE_URL). */
  name: Scalars['String']['output'];
  /** The attachment namespace, e.g. credential:analyst; null for the default. */
  namespace?: Maybe<Scalars['String']['output']>;
  /** The add-on dashboard. */
  web_url?: Maybe<Scalars['String']['output']>;
};

/** The attached add-on. */
export type AddonAttachmentCreatedDataAddon = {
  __typename?: 'AddonAttachmentCreatedDataAddon';
  /** The app that owns the add-on. */
  app: AddonAttachmentCreatedDataAddonApp;
  /** The add-on id. */
  id: Scalars['String']['output'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['output'];
};

/** The app that owns the add-on. */
export type AddonAttachmentCreatedDataAddonApp = {
  __typename?: 'AddonAttachmentCreatedDataAddonApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app that owns the add-on. */
export type AddonAttachmentCreatedDataAddonAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** The attached add-on. */
export type AddonAttachmentCreatedDataAddonInput = {
  /** The app that owns the add-on. */
  app: AddonAttachmentCreatedDataAddonAppInput;
  /** The add-on id. */
  id: Scalars['String']['input'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['input'];
};

/** The app the add-on is attached to. */
export type AddonAttachmentCreatedDataApp = {
  __typename?: 'AddonAttachmentCreatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app the add-on is attached to. */
export type AddonAttachmentCreatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** An add-on was attached to an app, its own or another one, under a name. */
export type AddonAttachmentCreatedDataInput = {
  /** The attached add-on. */
  addon: AddonAttachmentCreatedDataAddonInput;
  /** The app the add-on is attached to. */
  app: AddonAttachmentCreatedDataAppInput;
  /** The config vars the attachment sets on the app (names only). */
  config_vars?: InputMaybe<Array<Scalars['String']['input']>>;
  /** When the attachment was made. */
  created_at: Scalars['DateTime']['input'];
  /** The attachment id. */
  id: Scalars['String']['input'];
  /** The attachment name; its config vars start with it (DATABASE → DATABASE_URL). */
  name: Scalars['String']['input'];
  /** The attachment namespace, e.g. credential:analyst; null for the default. */
  namespace?: InputMaybe<Scalars['String']['input']>;
  /** The add-on dashboard. */
  web_url?: InputMaybe<Scalars['String']['input']>;
};

/** Publishes a "addon.attachment.created" event. */
export type AddonAttachmentCreatedPublish = {
  data: AddonAttachmentCreatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "addon.attachment.destroyed" event. */
export type AddonAttachmentDestroyed = Event & {
  __typename?: 'AddonAttachmentDestroyed';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: AddonAttachmentDestroyedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An add-on attachment was removed; the add-on itself may live on. */
export type AddonAttachmentDestroyedData = {
  __typename?: 'AddonAttachmentDestroyedData';
  /** The attached add-on. */
  addon: AddonAttachmentDestroyedDataAddon;
  /** The app the add-on was attached to. */
  app: AddonAttachmentDestroyedDataApp;
  /** When the attachment was removed. */
  destroyed_at: Scalars['DateTime']['output'];
  /** The attachment id. */
  id: Scalars['String']['output'];
  /** The attachment name; its config vars start with it (DATABASE → DATABASE_URL). */
  name: Scalars['String']['output'];
};

/** The attached add-on. */
export type AddonAttachmentDestroyedDataAddon = {
  __typename?: 'AddonAttachmentDestroyedDataAddon';
  /** The app that owns the add-on. */
  app: AddonAttachmentDestroyedDataAddonApp;
  /** The add-on id. */
  id: Scalars['String']['output'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['output'];
};

/** The app that owns the add-on. */
export type AddonAttachmentDestroyedDataAddonApp = {
  __typename?: 'AddonAttachmentDestroyedDataAddonApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app that owns the add-on. */
export type AddonAttachmentDestroyedDataAddonAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** The attached add-on. */
export type AddonAttachmentDestroyedDataAddonInput = {
  /** The app that owns the add-on. */
  app: AddonAttachmentDestroyedDataAddonAppInput;
  /** The add-on id. */
  id: Scalars['String']['input'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['input'];
};

/** The app the add-on was attached to. */
export type AddonAttachmentDestroyedDataApp = {
  __typename?: 'AddonAttachmentDestroyedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app the add-on was attached to. */
export type AddonAttachmentDestroyedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** An add-on attachment was removed; the add-on itself may live on. */
export type AddonAttachmentDestroyedDataInput = {
  /** The attached add-on. */
  addon: AddonAttachmentDestroyedDataAddonInput;
  /** The app the add-on was attached to. */
  app: AddonAttachmentDestroyedDataAppInput;
  /** When the attachment was removed. */
  destroyed_at: Scalars['DateTime']['input'];
  /** The attachment id. */
  id: Scalars['String']['input'];
  /** The attachment name; its config vars start with it (DATABASE → DATABASE_URL). */
  name: Scalars['String']['input'];
};

/** Publishes a "addon.attachment.destroyed" event. */
export type AddonAttachmentDestroyedPublish = {
  data: AddonAttachmentDestroyedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "addon.created" event. */
export type AddonCreated = Event & {
  __typename?: 'AddonCreated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: AddonCreatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An add-on was provisioned for an app. */
export type AddonCreatedData = {
  __typename?: 'AddonCreatedData';
  /** The service the add-on is an instance of. */
  addon_service: AddonCreatedDataAddonService;
  /** The app that owns the add-on. */
  app: AddonCreatedDataApp;
  /** The config vars the add-on sets (names only). */
  config_vars?: Maybe<Array<Scalars['String']['output']>>;
  /** When the add-on was created. */
  created_at: Scalars['DateTime']['output'];
  /** The add-on id. */
  id: Scalars['String']['output'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['output'];
  /** The plan. */
  plan: AddonCreatedDataPlan;
  /** The id the provider knows the add-on by. */
  provider_id?: Maybe<Scalars['String']['output']>;
  /** The add-on state. */
  state: AddonCreatedDataState;
  /** When the add-on last changed. */
  updated_at?: Maybe<Scalars['DateTime']['output']>;
  /** The add-on dashboard. */
  web_url?: Maybe<Scalars['String']['output']>;
};

/** The service the add-on is an instance of. */
export type AddonCreatedDataAddonService = {
  __typename?: 'AddonCreatedDataAddonService';
  /** The service id. */
  id: Scalars['String']['output'];
  /** The service name, e.g. heroku-postgresql. */
  name: Scalars['String']['output'];
};

/** The service the add-on is an instance of. */
export type AddonCreatedDataAddonServiceInput = {
  /** The service id. */
  id: Scalars['String']['input'];
  /** The service name, e.g. heroku-postgresql. */
  name: Scalars['String']['input'];
};

/** The app that owns the add-on. */
export type AddonCreatedDataApp = {
  __typename?: 'AddonCreatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app that owns the add-on. */
export type AddonCreatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** An add-on was provisioned for an app. */
export type AddonCreatedDataInput = {
  /** The service the add-on is an instance of. */
  addon_service: AddonCreatedDataAddonServiceInput;
  /** The app that owns the add-on. */
  app: AddonCreatedDataAppInput;
  /** The config vars the add-on sets (names only). */
  config_vars?: InputMaybe<Array<Scalars['String']['input']>>;
  /** When the add-on was created. */
  created_at: Scalars['DateTime']['input'];
  /** The add-on id. */
  id: Scalars['String']['input'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['input'];
  /** The plan. */
  plan: AddonCreatedDataPlanInput;
  /** The id the provider knows the add-on by. */
  provider_id?: InputMaybe<Scalars['String']['input']>;
  /** The add-on state. */
  state: AddonCreatedDataState;
  /** When the add-on last changed. */
  updated_at?: InputMaybe<Scalars['DateTime']['input']>;
  /** The add-on dashboard. */
  web_url?: InputMaybe<Scalars['String']['input']>;
};

/** The plan. */
export type AddonCreatedDataPlan = {
  __typename?: 'AddonCreatedDataPlan';
  /** The plan id. */
  id: Scalars['String']['output'];
  /** The plan name, e.g. heroku-postgresql:essential-0. */
  name: Scalars['String']['output'];
  /** What the plan costs. */
  price?: Maybe<AddonCreatedDataPlanPrice>;
};

/** The plan. */
export type AddonCreatedDataPlanInput = {
  /** The plan id. */
  id: Scalars['String']['input'];
  /** The plan name, e.g. heroku-postgresql:essential-0. */
  name: Scalars['String']['input'];
  /** What the plan costs. */
  price?: InputMaybe<AddonCreatedDataPlanPriceInput>;
};

/** What the plan costs. */
export type AddonCreatedDataPlanPrice = {
  __typename?: 'AddonCreatedDataPlanPrice';
  /** The price in US cents. */
  cents: Scalars['Int']['output'];
  /** Per what the price is. */
  unit: AddonCreatedDataPlanPriceUnit;
};

/** What the plan costs. */
export type AddonCreatedDataPlanPriceInput = {
  /** The price in US cents. */
  cents: Scalars['Int']['input'];
  /** Per what the price is. */
  unit: AddonCreatedDataPlanPriceUnit;
};

/** Per what the price is. */
export type AddonCreatedDataPlanPriceUnit =
  | 'hour'
  | 'month';

/** The add-on state. */
export type AddonCreatedDataState =
  | 'deprovisioned'
  | 'provisioned'
  | 'provisioning';

/** Publishes a "addon.created" event. */
export type AddonCreatedPublish = {
  data: AddonCreatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "addon.destroyed" event. */
export type AddonDestroyed = Event & {
  __typename?: 'AddonDestroyed';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: AddonDestroyedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An add-on was deprovisioned; its data is gone. */
export type AddonDestroyedData = {
  __typename?: 'AddonDestroyedData';
  /** The service the add-on is an instance of. */
  addon_service?: Maybe<AddonDestroyedDataAddonService>;
  /** The app that owned the add-on. */
  app: AddonDestroyedDataApp;
  /** When the add-on was deprovisioned. */
  destroyed_at: Scalars['DateTime']['output'];
  /** The add-on id. */
  id: Scalars['String']['output'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['output'];
  /** The plan it had. */
  plan?: Maybe<AddonDestroyedDataPlan>;
  /** Always deprovisioned. */
  state: Scalars['String']['output'];
};

/** The service the add-on is an instance of. */
export type AddonDestroyedDataAddonService = {
  __typename?: 'AddonDestroyedDataAddonService';
  /** The service id. */
  id: Scalars['String']['output'];
  /** The service name, e.g. heroku-postgresql. */
  name: Scalars['String']['output'];
};

/** The service the add-on is an instance of. */
export type AddonDestroyedDataAddonServiceInput = {
  /** The service id. */
  id: Scalars['String']['input'];
  /** The service name, e.g. heroku-postgresql. */
  name: Scalars['String']['input'];
};

/** The app that owned the add-on. */
export type AddonDestroyedDataApp = {
  __typename?: 'AddonDestroyedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app that owned the add-on. */
export type AddonDestroyedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** An add-on was deprovisioned; its data is gone. */
export type AddonDestroyedDataInput = {
  /** The service the add-on is an instance of. */
  addon_service?: InputMaybe<AddonDestroyedDataAddonServiceInput>;
  /** The app that owned the add-on. */
  app: AddonDestroyedDataAppInput;
  /** When the add-on was deprovisioned. */
  destroyed_at: Scalars['DateTime']['input'];
  /** The add-on id. */
  id: Scalars['String']['input'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['input'];
  /** The plan it had. */
  plan?: InputMaybe<AddonDestroyedDataPlanInput>;
  /** Always deprovisioned. */
  state: Scalars['String']['input'];
};

/** The plan it had. */
export type AddonDestroyedDataPlan = {
  __typename?: 'AddonDestroyedDataPlan';
  /** The plan id. */
  id: Scalars['String']['output'];
  /** The plan name, e.g. heroku-postgresql:essential-0. */
  name: Scalars['String']['output'];
  /** What the plan costs. */
  price?: Maybe<AddonDestroyedDataPlanPrice>;
};

/** The plan it had. */
export type AddonDestroyedDataPlanInput = {
  /** The plan id. */
  id: Scalars['String']['input'];
  /** The plan name, e.g. heroku-postgresql:essential-0. */
  name: Scalars['String']['input'];
  /** What the plan costs. */
  price?: InputMaybe<AddonDestroyedDataPlanPriceInput>;
};

/** What the plan costs. */
export type AddonDestroyedDataPlanPrice = {
  __typename?: 'AddonDestroyedDataPlanPrice';
  /** The price in US cents. */
  cents: Scalars['Int']['output'];
  /** Per what the price is. */
  unit: AddonDestroyedDataPlanPriceUnit;
};

/** What the plan costs. */
export type AddonDestroyedDataPlanPriceInput = {
  /** The price in US cents. */
  cents: Scalars['Int']['input'];
  /** Per what the price is. */
  unit: AddonDestroyedDataPlanPriceUnit;
};

/** Per what the price is. */
export type AddonDestroyedDataPlanPriceUnit =
  | 'hour'
  | 'month';

/** Publishes a "addon.destroyed" event. */
export type AddonDestroyedPublish = {
  data: AddonDestroyedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "addon.updated" event. */
export type AddonUpdated = Event & {
  __typename?: 'AddonUpdated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: AddonUpdatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An add-on changed plan or state, or was renamed. */
export type AddonUpdatedData = {
  __typename?: 'AddonUpdatedData';
  /** The app that owns the add-on. */
  app: AddonUpdatedDataApp;
  /** The add-on id. */
  id: Scalars['String']['output'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['output'];
  /** The plan now. */
  plan: AddonUpdatedDataPlan;
  /** The values the changed fields had before; only changed fields are present. */
  previous?: Maybe<AddonUpdatedDataPrevious>;
  /** The add-on state. */
  state: AddonUpdatedDataState;
  /** When the add-on changed. */
  updated_at: Scalars['DateTime']['output'];
};

/** The app that owns the add-on. */
export type AddonUpdatedDataApp = {
  __typename?: 'AddonUpdatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app that owns the add-on. */
export type AddonUpdatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** An add-on changed plan or state, or was renamed. */
export type AddonUpdatedDataInput = {
  /** The app that owns the add-on. */
  app: AddonUpdatedDataAppInput;
  /** The add-on id. */
  id: Scalars['String']['input'];
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name: Scalars['String']['input'];
  /** The plan now. */
  plan: AddonUpdatedDataPlanInput;
  /** The values the changed fields had before; only changed fields are present. */
  previous?: InputMaybe<AddonUpdatedDataPreviousInput>;
  /** The add-on state. */
  state: AddonUpdatedDataState;
  /** When the add-on changed. */
  updated_at: Scalars['DateTime']['input'];
};

/** The plan now. */
export type AddonUpdatedDataPlan = {
  __typename?: 'AddonUpdatedDataPlan';
  /** The plan id. */
  id: Scalars['String']['output'];
  /** The plan name, e.g. heroku-postgresql:essential-0. */
  name: Scalars['String']['output'];
  /** What the plan costs. */
  price?: Maybe<AddonUpdatedDataPlanPrice>;
};

/** The plan now. */
export type AddonUpdatedDataPlanInput = {
  /** The plan id. */
  id: Scalars['String']['input'];
  /** The plan name, e.g. heroku-postgresql:essential-0. */
  name: Scalars['String']['input'];
  /** What the plan costs. */
  price?: InputMaybe<AddonUpdatedDataPlanPriceInput>;
};

/** What the plan costs. */
export type AddonUpdatedDataPlanPrice = {
  __typename?: 'AddonUpdatedDataPlanPrice';
  /** The price in US cents. */
  cents: Scalars['Int']['output'];
  /** Per what the price is. */
  unit: AddonUpdatedDataPlanPriceUnit;
};

/** What the plan costs. */
export type AddonUpdatedDataPlanPriceInput = {
  /** The price in US cents. */
  cents: Scalars['Int']['input'];
  /** Per what the price is. */
  unit: AddonUpdatedDataPlanPriceUnit;
};

/** Per what the price is. */
export type AddonUpdatedDataPlanPriceUnit =
  | 'hour'
  | 'month';

/** The values the changed fields had before; only changed fields are present. */
export type AddonUpdatedDataPrevious = {
  __typename?: 'AddonUpdatedDataPrevious';
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name?: Maybe<Scalars['String']['output']>;
  /** The plan before. */
  plan?: Maybe<AddonUpdatedDataPreviousPlan>;
  /** The add-on state. */
  state?: Maybe<AddonUpdatedDataPreviousState>;
};

/** The values the changed fields had before; only changed fields are present. */
export type AddonUpdatedDataPreviousInput = {
  /** The add-on name, unique across the platform, e.g. postgresql-rugged-12345. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** The plan before. */
  plan?: InputMaybe<AddonUpdatedDataPreviousPlanInput>;
  /** The add-on state. */
  state?: InputMaybe<AddonUpdatedDataPreviousState>;
};

/** The plan before. */
export type AddonUpdatedDataPreviousPlan = {
  __typename?: 'AddonUpdatedDataPreviousPlan';
  /** The plan id. */
  id: Scalars['String']['output'];
  /** The plan name, e.g. heroku-postgresql:essential-0. */
  name: Scalars['String']['output'];
  /** What the plan costs. */
  price?: Maybe<AddonUpdatedDataPreviousPlanPrice>;
};

/** The plan before. */
export type AddonUpdatedDataPreviousPlanInput = {
  /** The plan id. */
  id: Scalars['String']['input'];
  /** The plan name, e.g. heroku-postgresql:essential-0. */
  name: Scalars['String']['input'];
  /** What the plan costs. */
  price?: InputMaybe<AddonUpdatedDataPreviousPlanPriceInput>;
};

/** What the plan costs. */
export type AddonUpdatedDataPreviousPlanPrice = {
  __typename?: 'AddonUpdatedDataPreviousPlanPrice';
  /** The price in US cents. */
  cents: Scalars['Int']['output'];
  /** Per what the price is. */
  unit: AddonUpdatedDataPreviousPlanPriceUnit;
};

/** What the plan costs. */
export type AddonUpdatedDataPreviousPlanPriceInput = {
  /** The price in US cents. */
  cents: Scalars['Int']['input'];
  /** Per what the price is. */
  unit: AddonUpdatedDataPreviousPlanPriceUnit;
};

/** Per what the price is. */
export type AddonUpdatedDataPreviousPlanPriceUnit =
  | 'hour'
  | 'month';

/** The add-on state. */
export type AddonUpdatedDataPreviousState =
  | 'deprovisioned'
  | 'provisioned'
  | 'provisioning';

/** The add-on state. */
export type AddonUpdatedDataState =
  | 'deprovisioned'
  | 'provisioned'
  | 'provisioning';

/** Publishes a "addon.updated" event. */
export type AddonUpdatedPublish = {
  data: AddonUpdatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "app.created" event. */
export type AppCreated = Event & {
  __typename?: 'AppCreated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: AppCreatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An app was created. */
export type AppCreatedData = {
  __typename?: 'AppCreatedData';
  /** Whether Automated Certificate Management is on. */
  acm: Scalars['Boolean']['output'];
  /** The stack the next build will use. */
  build_stack?: Maybe<AppCreatedDataStack>;
  /** When the app was created. */
  created_at: Scalars['DateTime']['output'];
  /** The git remote to push to. */
  git_url?: Maybe<Scalars['String']['output']>;
  /** The app id. */
  id: Scalars['String']['output'];
  /** Whether the app routes only inside its space. */
  internal_routing?: Maybe<Scalars['Boolean']['output']>;
  /** Whether the app is in maintenance mode. */
  maintenance: Scalars['Boolean']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
  /** The account that owns the app. */
  owner: AppCreatedDataOwner;
  /** Where the app runs. */
  region: AppCreatedDataRegion;
  /** The private space the app runs in, if any. */
  space?: Maybe<AppCreatedDataSpace>;
  /** The base image the app builds and runs on. */
  stack: AppCreatedDataStack;
  /** The team that owns the app, if any. */
  team?: Maybe<AppCreatedDataTeam>;
  /** When the app last changed. */
  updated_at: Scalars['DateTime']['output'];
  /** The URL the app serves on. */
  web_url?: Maybe<Scalars['String']['output']>;
};

/** An app was created. */
export type AppCreatedDataInput = {
  /** Whether Automated Certificate Management is on. */
  acm: Scalars['Boolean']['input'];
  /** The stack the next build will use. */
  build_stack?: InputMaybe<AppCreatedDataStackInput>;
  /** When the app was created. */
  created_at: Scalars['DateTime']['input'];
  /** The git remote to push to. */
  git_url?: InputMaybe<Scalars['String']['input']>;
  /** The app id. */
  id: Scalars['String']['input'];
  /** Whether the app routes only inside its space. */
  internal_routing?: InputMaybe<Scalars['Boolean']['input']>;
  /** Whether the app is in maintenance mode. */
  maintenance: Scalars['Boolean']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
  /** The account that owns the app. */
  owner: AppCreatedDataOwnerInput;
  /** Where the app runs. */
  region: AppCreatedDataRegionInput;
  /** The private space the app runs in, if any. */
  space?: InputMaybe<AppCreatedDataSpaceInput>;
  /** The base image the app builds and runs on. */
  stack: AppCreatedDataStackInput;
  /** The team that owns the app, if any. */
  team?: InputMaybe<AppCreatedDataTeamInput>;
  /** When the app last changed. */
  updated_at: Scalars['DateTime']['input'];
  /** The URL the app serves on. */
  web_url?: InputMaybe<Scalars['String']['input']>;
};

/** The account that owns the app. */
export type AppCreatedDataOwner = {
  __typename?: 'AppCreatedDataOwner';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** The account that owns the app. */
export type AppCreatedDataOwnerInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Where the app runs. */
export type AppCreatedDataRegion = {
  __typename?: 'AppCreatedDataRegion';
  /** The region id. */
  id: Scalars['String']['output'];
  /** The region name. */
  name: AppCreatedDataRegionName;
};

/** Where the app runs. */
export type AppCreatedDataRegionInput = {
  /** The region id. */
  id: Scalars['String']['input'];
  /** The region name. */
  name: AppCreatedDataRegionName;
};

/** The region name. */
export type AppCreatedDataRegionName =
  | 'dublin'
  | 'eu'
  | 'frankfurt'
  | 'london'
  | 'montreal'
  | 'mumbai'
  | 'oregon'
  | 'singapore'
  | 'sydney'
  | 'tokyo'
  | 'us'
  | 'virginia';

/** The private space the app runs in, if any. */
export type AppCreatedDataSpace = {
  __typename?: 'AppCreatedDataSpace';
  /** The space id. */
  id: Scalars['String']['output'];
  /** The space name. */
  name: Scalars['String']['output'];
  /** Whether the space is a Shield space. */
  shield: Scalars['Boolean']['output'];
};

/** The private space the app runs in, if any. */
export type AppCreatedDataSpaceInput = {
  /** The space id. */
  id: Scalars['String']['input'];
  /** The space name. */
  name: Scalars['String']['input'];
  /** Whether the space is a Shield space. */
  shield: Scalars['Boolean']['input'];
};

/** The base image the app builds and runs on. */
export type AppCreatedDataStack = {
  __typename?: 'AppCreatedDataStack';
  /** The stack id. */
  id: Scalars['String']['output'];
  /** The stack name. */
  name: AppCreatedDataStackName;
};

/** The base image the app builds and runs on. */
export type AppCreatedDataStackInput = {
  /** The stack id. */
  id: Scalars['String']['input'];
  /** The stack name. */
  name: AppCreatedDataStackName;
};

/** The stack name. */
export type AppCreatedDataStackName =
  | 'container'
  | 'heroku_20'
  | 'heroku_22'
  | 'heroku_24';

/** The team that owns the app, if any. */
export type AppCreatedDataTeam = {
  __typename?: 'AppCreatedDataTeam';
  /** The team id. */
  id: Scalars['String']['output'];
  /** The team name. */
  name: Scalars['String']['output'];
};

/** The team that owns the app, if any. */
export type AppCreatedDataTeamInput = {
  /** The team id. */
  id: Scalars['String']['input'];
  /** The team name. */
  name: Scalars['String']['input'];
};

/** Publishes a "app.created" event. */
export type AppCreatedPublish = {
  data: AppCreatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "app.destroyed" event. */
export type AppDestroyed = Event & {
  __typename?: 'AppDestroyed';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: AppDestroyedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An app was deleted, with all its dynos, releases and domains. */
export type AppDestroyedData = {
  __typename?: 'AppDestroyedData';
  /** Who deleted the app. */
  actor?: Maybe<AppDestroyedDataActor>;
  /** When the app was created. */
  created_at?: Maybe<Scalars['DateTime']['output']>;
  /** When the app was deleted. */
  destroyed_at: Scalars['DateTime']['output'];
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
  /** The account that owned the app. */
  owner: AppDestroyedDataOwner;
  /** Where the app runs. */
  region?: Maybe<AppDestroyedDataRegion>;
};

/** Who deleted the app. */
export type AppDestroyedDataActor = {
  __typename?: 'AppDestroyedDataActor';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who deleted the app. */
export type AppDestroyedDataActorInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** An app was deleted, with all its dynos, releases and domains. */
export type AppDestroyedDataInput = {
  /** Who deleted the app. */
  actor?: InputMaybe<AppDestroyedDataActorInput>;
  /** When the app was created. */
  created_at?: InputMaybe<Scalars['DateTime']['input']>;
  /** When the app was deleted. */
  destroyed_at: Scalars['DateTime']['input'];
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
  /** The account that owned the app. */
  owner: AppDestroyedDataOwnerInput;
  /** Where the app runs. */
  region?: InputMaybe<AppDestroyedDataRegionInput>;
};

/** The account that owned the app. */
export type AppDestroyedDataOwner = {
  __typename?: 'AppDestroyedDataOwner';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** The account that owned the app. */
export type AppDestroyedDataOwnerInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Where the app runs. */
export type AppDestroyedDataRegion = {
  __typename?: 'AppDestroyedDataRegion';
  /** The region id. */
  id: Scalars['String']['output'];
  /** The region name. */
  name: AppDestroyedDataRegionName;
};

/** Where the app runs. */
export type AppDestroyedDataRegionInput = {
  /** The region id. */
  id: Scalars['String']['input'];
  /** The region name. */
  name: AppDestroyedDataRegionName;
};

/** The region name. */
export type AppDestroyedDataRegionName =
  | 'dublin'
  | 'eu'
  | 'frankfurt'
  | 'london'
  | 'montreal'
  | 'mumbai'
  | 'oregon'
  | 'singapore'
  | 'sydney'
  | 'tokyo'
  | 'us'
  | 'virginia';

/** Publishes a "app.destroyed" event. */
export type AppDestroyedPublish = {
  data: AppDestroyedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "app.updated" event. */
export type AppUpdated = Event & {
  __typename?: 'AppUpdated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: AppUpdatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An app was renamed, put into or out of maintenance, moved to another stack or changed otherwise. */
export type AppUpdatedData = {
  __typename?: 'AppUpdatedData';
  /** Whether Automated Certificate Management is on. */
  acm: Scalars['Boolean']['output'];
  /** The stack the next build will use. */
  build_stack?: Maybe<AppUpdatedDataStack>;
  /** The fields this update changed. */
  changed_fields: Array<AppUpdatedDataChangedFieldsItem>;
  /** When the app was created. */
  created_at: Scalars['DateTime']['output'];
  /** The git remote to push to. */
  git_url?: Maybe<Scalars['String']['output']>;
  /** The app id. */
  id: Scalars['String']['output'];
  /** Whether the app routes only inside its space. */
  internal_routing?: Maybe<Scalars['Boolean']['output']>;
  /** Whether the app is in maintenance mode. */
  maintenance: Scalars['Boolean']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
  /** The account that owns the app. */
  owner: AppUpdatedDataOwner;
  /** The values the changed fields had before; only changed fields are present. */
  previous?: Maybe<AppUpdatedDataPrevious>;
  /** Where the app runs. */
  region: AppUpdatedDataRegion;
  /** The private space the app runs in, if any. */
  space?: Maybe<AppUpdatedDataSpace>;
  /** The base image the app builds and runs on. */
  stack: AppUpdatedDataStack;
  /** The team that owns the app, if any. */
  team?: Maybe<AppUpdatedDataTeam>;
  /** When the app last changed. */
  updated_at: Scalars['DateTime']['output'];
  /** The URL the app serves on. */
  web_url?: Maybe<Scalars['String']['output']>;
};

/** A field name. */
export type AppUpdatedDataChangedFieldsItem =
  | 'acm'
  | 'build_stack'
  | 'internal_routing'
  | 'maintenance'
  | 'name'
  | 'team';

/** An app was renamed, put into or out of maintenance, moved to another stack or changed otherwise. */
export type AppUpdatedDataInput = {
  /** Whether Automated Certificate Management is on. */
  acm: Scalars['Boolean']['input'];
  /** The stack the next build will use. */
  build_stack?: InputMaybe<AppUpdatedDataStackInput>;
  /** The fields this update changed. */
  changed_fields: Array<AppUpdatedDataChangedFieldsItem>;
  /** When the app was created. */
  created_at: Scalars['DateTime']['input'];
  /** The git remote to push to. */
  git_url?: InputMaybe<Scalars['String']['input']>;
  /** The app id. */
  id: Scalars['String']['input'];
  /** Whether the app routes only inside its space. */
  internal_routing?: InputMaybe<Scalars['Boolean']['input']>;
  /** Whether the app is in maintenance mode. */
  maintenance: Scalars['Boolean']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
  /** The account that owns the app. */
  owner: AppUpdatedDataOwnerInput;
  /** The values the changed fields had before; only changed fields are present. */
  previous?: InputMaybe<AppUpdatedDataPreviousInput>;
  /** Where the app runs. */
  region: AppUpdatedDataRegionInput;
  /** The private space the app runs in, if any. */
  space?: InputMaybe<AppUpdatedDataSpaceInput>;
  /** The base image the app builds and runs on. */
  stack: AppUpdatedDataStackInput;
  /** The team that owns the app, if any. */
  team?: InputMaybe<AppUpdatedDataTeamInput>;
  /** When the app last changed. */
  updated_at: Scalars['DateTime']['input'];
  /** The URL the app serves on. */
  web_url?: InputMaybe<Scalars['String']['input']>;
};

/** The account that owns the app. */
export type AppUpdatedDataOwner = {
  __typename?: 'AppUpdatedDataOwner';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** The account that owns the app. */
export type AppUpdatedDataOwnerInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** The values the changed fields had before; only changed fields are present. */
export type AppUpdatedDataPrevious = {
  __typename?: 'AppUpdatedDataPrevious';
  /** ACM before. */
  acm?: Maybe<Scalars['Boolean']['output']>;
  /** The base image the app builds and runs on. */
  build_stack?: Maybe<AppUpdatedDataStack>;
  /** Maintenance mode before. */
  maintenance?: Maybe<Scalars['Boolean']['output']>;
  /** The app name, unique across the platform. */
  name?: Maybe<Scalars['String']['output']>;
};

/** The values the changed fields had before; only changed fields are present. */
export type AppUpdatedDataPreviousInput = {
  /** ACM before. */
  acm?: InputMaybe<Scalars['Boolean']['input']>;
  /** The base image the app builds and runs on. */
  build_stack?: InputMaybe<AppUpdatedDataStackInput>;
  /** Maintenance mode before. */
  maintenance?: InputMaybe<Scalars['Boolean']['input']>;
  /** The app name, unique across the platform. */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** Where the app runs. */
export type AppUpdatedDataRegion = {
  __typename?: 'AppUpdatedDataRegion';
  /** The region id. */
  id: Scalars['String']['output'];
  /** The region name. */
  name: AppUpdatedDataRegionName;
};

/** Where the app runs. */
export type AppUpdatedDataRegionInput = {
  /** The region id. */
  id: Scalars['String']['input'];
  /** The region name. */
  name: AppUpdatedDataRegionName;
};

/** The region name. */
export type AppUpdatedDataRegionName =
  | 'dublin'
  | 'eu'
  | 'frankfurt'
  | 'london'
  | 'montreal'
  | 'mumbai'
  | 'oregon'
  | 'singapore'
  | 'sydney'
  | 'tokyo'
  | 'us'
  | 'virginia';

/** The private space the app runs in, if any. */
export type AppUpdatedDataSpace = {
  __typename?: 'AppUpdatedDataSpace';
  /** The space id. */
  id: Scalars['String']['output'];
  /** The space name. */
  name: Scalars['String']['output'];
  /** Whether the space is a Shield space. */
  shield: Scalars['Boolean']['output'];
};

/** The private space the app runs in, if any. */
export type AppUpdatedDataSpaceInput = {
  /** The space id. */
  id: Scalars['String']['input'];
  /** The space name. */
  name: Scalars['String']['input'];
  /** Whether the space is a Shield space. */
  shield: Scalars['Boolean']['input'];
};

/** The base image the app builds and runs on. */
export type AppUpdatedDataStack = {
  __typename?: 'AppUpdatedDataStack';
  /** The stack id. */
  id: Scalars['String']['output'];
  /** The stack name. */
  name: AppUpdatedDataStackName;
};

/** The base image the app builds and runs on. */
export type AppUpdatedDataStackInput = {
  /** The stack id. */
  id: Scalars['String']['input'];
  /** The stack name. */
  name: AppUpdatedDataStackName;
};

/** The stack name. */
export type AppUpdatedDataStackName =
  | 'container'
  | 'heroku_20'
  | 'heroku_22'
  | 'heroku_24';

/** The team that owns the app, if any. */
export type AppUpdatedDataTeam = {
  __typename?: 'AppUpdatedDataTeam';
  /** The team id. */
  id: Scalars['String']['output'];
  /** The team name. */
  name: Scalars['String']['output'];
};

/** The team that owns the app, if any. */
export type AppUpdatedDataTeamInput = {
  /** The team id. */
  id: Scalars['String']['input'];
  /** The team name. */
  name: Scalars['String']['input'];
};

/** Publishes a "app.updated" event. */
export type AppUpdatedPublish = {
  data: AppUpdatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "build.created" event. */
export type BuildCreated = Event & {
  __typename?: 'BuildCreated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: BuildCreatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A build started compiling source code into a slug. */
export type BuildCreatedData = {
  __typename?: 'BuildCreatedData';
  /** The app. */
  app: BuildCreatedDataApp;
  /** The buildpacks, in order; null for automatic detection. */
  buildpacks?: Maybe<Array<BuildCreatedDataBuildpacksItem>>;
  /** When the build started. */
  created_at: Scalars['DateTime']['output'];
  /** The build id. */
  id: Scalars['String']['output'];
  /** Where the build output streams. */
  output_stream_url?: Maybe<Scalars['String']['output']>;
  /** The source code built. */
  source_blob: BuildCreatedDataSourceBlob;
  /** The stack the build runs on. */
  stack?: Maybe<BuildCreatedDataStack>;
  /** The build status. */
  status: BuildCreatedDataStatus;
  /** Who started the build. */
  user: BuildCreatedDataUser;
};

/** The app. */
export type BuildCreatedDataApp = {
  __typename?: 'BuildCreatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type BuildCreatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A buildpack. */
export type BuildCreatedDataBuildpacksItem = {
  __typename?: 'BuildCreatedDataBuildpacksItem';
  /** The buildpack name, e.g. heroku/nodejs. */
  name?: Maybe<Scalars['String']['output']>;
  /** Where the buildpack lives. */
  url: Scalars['String']['output'];
};

/** A buildpack. */
export type BuildCreatedDataBuildpacksItemInput = {
  /** The buildpack name, e.g. heroku/nodejs. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Where the buildpack lives. */
  url: Scalars['String']['input'];
};

/** A build started compiling source code into a slug. */
export type BuildCreatedDataInput = {
  /** The app. */
  app: BuildCreatedDataAppInput;
  /** The buildpacks, in order; null for automatic detection. */
  buildpacks?: InputMaybe<Array<BuildCreatedDataBuildpacksItemInput>>;
  /** When the build started. */
  created_at: Scalars['DateTime']['input'];
  /** The build id. */
  id: Scalars['String']['input'];
  /** Where the build output streams. */
  output_stream_url?: InputMaybe<Scalars['String']['input']>;
  /** The source code built. */
  source_blob: BuildCreatedDataSourceBlobInput;
  /** The stack the build runs on. */
  stack?: InputMaybe<BuildCreatedDataStack>;
  /** The build status. */
  status: BuildCreatedDataStatus;
  /** Who started the build. */
  user: BuildCreatedDataUserInput;
};

/** The source code built. */
export type BuildCreatedDataSourceBlob = {
  __typename?: 'BuildCreatedDataSourceBlob';
  /** The tarball checksum, e.g. SHA256:… */
  checksum?: Maybe<Scalars['String']['output']>;
  /** Where the source tarball was fetched. */
  url: Scalars['String']['output'];
  /** The source version, e.g. a git commit. */
  version?: Maybe<Scalars['String']['output']>;
  /** The commit message or other description of the version. */
  version_description?: Maybe<Scalars['String']['output']>;
};

/** The source code built. */
export type BuildCreatedDataSourceBlobInput = {
  /** The tarball checksum, e.g. SHA256:… */
  checksum?: InputMaybe<Scalars['String']['input']>;
  /** Where the source tarball was fetched. */
  url: Scalars['String']['input'];
  /** The source version, e.g. a git commit. */
  version?: InputMaybe<Scalars['String']['input']>;
  /** The commit message or other description of the version. */
  version_description?: InputMaybe<Scalars['String']['input']>;
};

/** The stack the build runs on. */
export type BuildCreatedDataStack =
  | 'container'
  | 'heroku_20'
  | 'heroku_22'
  | 'heroku_24';

/** The build status. */
export type BuildCreatedDataStatus =
  | 'failed'
  | 'pending'
  | 'succeeded';

/** Who started the build. */
export type BuildCreatedDataUser = {
  __typename?: 'BuildCreatedDataUser';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who started the build. */
export type BuildCreatedDataUserInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Publishes a "build.created" event. */
export type BuildCreatedPublish = {
  data: BuildCreatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "build.failed" event. */
export type BuildFailed = Event & {
  __typename?: 'BuildFailed';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: BuildFailedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A build failed; the app keeps running its current release. */
export type BuildFailedData = {
  __typename?: 'BuildFailedData';
  /** The app. */
  app: BuildFailedDataApp;
  /** When the build started. */
  created_at: Scalars['DateTime']['output'];
  /** The exit code of the failed step, when there was one. */
  exit_code?: Maybe<Scalars['Int']['output']>;
  /** Why the build failed. */
  failure_reason: BuildFailedDataFailureReason;
  /** When the build failed. */
  finished_at: Scalars['DateTime']['output'];
  /** The build id. */
  id: Scalars['String']['output'];
  /** Where the build output can be read. */
  output_stream_url?: Maybe<Scalars['String']['output']>;
  /** The source code built. */
  source_blob?: Maybe<BuildFailedDataSourceBlob>;
  /** Always failed. */
  status: Scalars['String']['output'];
  /** Who started the build. */
  user: BuildFailedDataUser;
};

/** The app. */
export type BuildFailedDataApp = {
  __typename?: 'BuildFailedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type BuildFailedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** Why the build failed. */
export type BuildFailedDataFailureReason =
  | 'buildpack_detect_failed'
  | 'canceled'
  | 'compile_failed'
  | 'internal_error'
  | 'slug_too_large'
  | 'timeout';

/** A build failed; the app keeps running its current release. */
export type BuildFailedDataInput = {
  /** The app. */
  app: BuildFailedDataAppInput;
  /** When the build started. */
  created_at: Scalars['DateTime']['input'];
  /** The exit code of the failed step, when there was one. */
  exit_code?: InputMaybe<Scalars['Int']['input']>;
  /** Why the build failed. */
  failure_reason: BuildFailedDataFailureReason;
  /** When the build failed. */
  finished_at: Scalars['DateTime']['input'];
  /** The build id. */
  id: Scalars['String']['input'];
  /** Where the build output can be read. */
  output_stream_url?: InputMaybe<Scalars['String']['input']>;
  /** The source code built. */
  source_blob?: InputMaybe<BuildFailedDataSourceBlobInput>;
  /** Always failed. */
  status: Scalars['String']['input'];
  /** Who started the build. */
  user: BuildFailedDataUserInput;
};

/** The source code built. */
export type BuildFailedDataSourceBlob = {
  __typename?: 'BuildFailedDataSourceBlob';
  /** The tarball checksum, e.g. SHA256:… */
  checksum?: Maybe<Scalars['String']['output']>;
  /** Where the source tarball was fetched. */
  url: Scalars['String']['output'];
  /** The source version, e.g. a git commit. */
  version?: Maybe<Scalars['String']['output']>;
  /** The commit message or other description of the version. */
  version_description?: Maybe<Scalars['String']['output']>;
};

/** The source code built. */
export type BuildFailedDataSourceBlobInput = {
  /** The tarball checksum, e.g. SHA256:… */
  checksum?: InputMaybe<Scalars['String']['input']>;
  /** Where the source tarball was fetched. */
  url: Scalars['String']['input'];
  /** The source version, e.g. a git commit. */
  version?: InputMaybe<Scalars['String']['input']>;
  /** The commit message or other description of the version. */
  version_description?: InputMaybe<Scalars['String']['input']>;
};

/** Who started the build. */
export type BuildFailedDataUser = {
  __typename?: 'BuildFailedDataUser';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who started the build. */
export type BuildFailedDataUserInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Publishes a "build.failed" event. */
export type BuildFailedPublish = {
  data: BuildFailedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "build.succeeded" event. */
export type BuildSucceeded = Event & {
  __typename?: 'BuildSucceeded';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: BuildSucceededData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A build compiled its slug and made a release. */
export type BuildSucceededData = {
  __typename?: 'BuildSucceededData';
  /** The app. */
  app: BuildSucceededDataApp;
  /** When the build started. */
  created_at: Scalars['DateTime']['output'];
  /** How long the build took. */
  duration_seconds?: Maybe<Scalars['Float']['output']>;
  /** When the build finished. */
  finished_at: Scalars['DateTime']['output'];
  /** The build id. */
  id: Scalars['String']['output'];
  /** The release. */
  release: BuildSucceededDataRelease;
  /** The compiled slug. */
  slug: BuildSucceededDataSlug;
  /** The source code built. */
  source_blob?: Maybe<BuildSucceededDataSourceBlob>;
  /** Always succeeded. */
  status: Scalars['String']['output'];
  /** Who started the build. */
  user: BuildSucceededDataUser;
};

/** The app. */
export type BuildSucceededDataApp = {
  __typename?: 'BuildSucceededDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type BuildSucceededDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A build compiled its slug and made a release. */
export type BuildSucceededDataInput = {
  /** The app. */
  app: BuildSucceededDataAppInput;
  /** When the build started. */
  created_at: Scalars['DateTime']['input'];
  /** How long the build took. */
  duration_seconds?: InputMaybe<Scalars['Float']['input']>;
  /** When the build finished. */
  finished_at: Scalars['DateTime']['input'];
  /** The build id. */
  id: Scalars['String']['input'];
  /** The release. */
  release: BuildSucceededDataReleaseInput;
  /** The compiled slug. */
  slug: BuildSucceededDataSlugInput;
  /** The source code built. */
  source_blob?: InputMaybe<BuildSucceededDataSourceBlobInput>;
  /** Always succeeded. */
  status: Scalars['String']['input'];
  /** Who started the build. */
  user: BuildSucceededDataUserInput;
};

/** The release. */
export type BuildSucceededDataRelease = {
  __typename?: 'BuildSucceededDataRelease';
  /** The release id. */
  id: Scalars['String']['output'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['output'];
};

/** The release. */
export type BuildSucceededDataReleaseInput = {
  /** The release id. */
  id: Scalars['String']['input'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['input'];
};

/** The compiled slug. */
export type BuildSucceededDataSlug = {
  __typename?: 'BuildSucceededDataSlug';
  /** The slug id. */
  id: Scalars['String']['output'];
  /** Process type → command, from the Procfile. */
  process_types?: Maybe<Scalars['JSON']['output']>;
  /** Compressed size in bytes. */
  size: Scalars['Int']['output'];
};

/** The compiled slug. */
export type BuildSucceededDataSlugInput = {
  /** The slug id. */
  id: Scalars['String']['input'];
  /** Process type → command, from the Procfile. */
  process_types?: InputMaybe<Scalars['JSON']['input']>;
  /** Compressed size in bytes. */
  size: Scalars['Int']['input'];
};

/** The source code built. */
export type BuildSucceededDataSourceBlob = {
  __typename?: 'BuildSucceededDataSourceBlob';
  /** The tarball checksum, e.g. SHA256:… */
  checksum?: Maybe<Scalars['String']['output']>;
  /** Where the source tarball was fetched. */
  url: Scalars['String']['output'];
  /** The source version, e.g. a git commit. */
  version?: Maybe<Scalars['String']['output']>;
  /** The commit message or other description of the version. */
  version_description?: Maybe<Scalars['String']['output']>;
};

/** The source code built. */
export type BuildSucceededDataSourceBlobInput = {
  /** The tarball checksum, e.g. SHA256:… */
  checksum?: InputMaybe<Scalars['String']['input']>;
  /** Where the source tarball was fetched. */
  url: Scalars['String']['input'];
  /** The source version, e.g. a git commit. */
  version?: InputMaybe<Scalars['String']['input']>;
  /** The commit message or other description of the version. */
  version_description?: InputMaybe<Scalars['String']['input']>;
};

/** Who started the build. */
export type BuildSucceededDataUser = {
  __typename?: 'BuildSucceededDataUser';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who started the build. */
export type BuildSucceededDataUserInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Publishes a "build.succeeded" event. */
export type BuildSucceededPublish = {
  data: BuildSucceededDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "collaborator.created" event. */
export type CollaboratorCreated = Event & {
  __typename?: 'CollaboratorCreated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: CollaboratorCreatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An account was given access to an app. */
export type CollaboratorCreatedData = {
  __typename?: 'CollaboratorCreatedData';
  /** Who granted the access. */
  actor?: Maybe<CollaboratorCreatedDataActor>;
  /** The app. */
  app: CollaboratorCreatedDataApp;
  /** When access was granted. */
  created_at: Scalars['DateTime']['output'];
  /** The collaborator id. */
  id: Scalars['String']['output'];
  /** What the collaborator may do. */
  permissions: Array<CollaboratorCreatedDataPermissionsItem>;
  /** The role on a team app; null on a personal app. */
  role?: Maybe<CollaboratorCreatedDataRole>;
  /** The collaborating account. */
  user: CollaboratorCreatedDataUser;
};

/** Who granted the access. */
export type CollaboratorCreatedDataActor = {
  __typename?: 'CollaboratorCreatedDataActor';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who granted the access. */
export type CollaboratorCreatedDataActorInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** The app. */
export type CollaboratorCreatedDataApp = {
  __typename?: 'CollaboratorCreatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type CollaboratorCreatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** An account was given access to an app. */
export type CollaboratorCreatedDataInput = {
  /** Who granted the access. */
  actor?: InputMaybe<CollaboratorCreatedDataActorInput>;
  /** The app. */
  app: CollaboratorCreatedDataAppInput;
  /** When access was granted. */
  created_at: Scalars['DateTime']['input'];
  /** The collaborator id. */
  id: Scalars['String']['input'];
  /** What the collaborator may do. */
  permissions: Array<CollaboratorCreatedDataPermissionsItem>;
  /** The role on a team app; null on a personal app. */
  role?: InputMaybe<CollaboratorCreatedDataRole>;
  /** The collaborating account. */
  user: CollaboratorCreatedDataUserInput;
};

/** A permission. */
export type CollaboratorCreatedDataPermissionsItem =
  | 'deploy'
  | 'manage'
  | 'operate'
  | 'view';

/** The role on a team app; null on a personal app. */
export type CollaboratorCreatedDataRole =
  | 'admin'
  | 'collaborator'
  | 'member'
  | 'owner'
  | 'viewer';

/** The collaborating account. */
export type CollaboratorCreatedDataUser = {
  __typename?: 'CollaboratorCreatedDataUser';
  /** The account email. */
  email: Scalars['String']['output'];
  /** Whether the account signs in through an identity provider. */
  federated?: Maybe<Scalars['Boolean']['output']>;
  /** The account id. */
  id: Scalars['String']['output'];
};

/** The collaborating account. */
export type CollaboratorCreatedDataUserInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** Whether the account signs in through an identity provider. */
  federated?: InputMaybe<Scalars['Boolean']['input']>;
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Publishes a "collaborator.created" event. */
export type CollaboratorCreatedPublish = {
  data: CollaboratorCreatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "collaborator.destroyed" event. */
export type CollaboratorDestroyed = Event & {
  __typename?: 'CollaboratorDestroyed';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: CollaboratorDestroyedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An account lost its access to an app. */
export type CollaboratorDestroyedData = {
  __typename?: 'CollaboratorDestroyedData';
  /** Who removed the access. */
  actor?: Maybe<CollaboratorDestroyedDataActor>;
  /** The app. */
  app: CollaboratorDestroyedDataApp;
  /** When access was removed. */
  destroyed_at: Scalars['DateTime']['output'];
  /** The collaborator id. */
  id: Scalars['String']['output'];
  /** The collaborating account. */
  user: CollaboratorDestroyedDataUser;
};

/** Who removed the access. */
export type CollaboratorDestroyedDataActor = {
  __typename?: 'CollaboratorDestroyedDataActor';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who removed the access. */
export type CollaboratorDestroyedDataActorInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** The app. */
export type CollaboratorDestroyedDataApp = {
  __typename?: 'CollaboratorDestroyedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type CollaboratorDestroyedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** An account lost its access to an app. */
export type CollaboratorDestroyedDataInput = {
  /** Who removed the access. */
  actor?: InputMaybe<CollaboratorDestroyedDataActorInput>;
  /** The app. */
  app: CollaboratorDestroyedDataAppInput;
  /** When access was removed. */
  destroyed_at: Scalars['DateTime']['input'];
  /** The collaborator id. */
  id: Scalars['String']['input'];
  /** The collaborating account. */
  user: CollaboratorDestroyedDataUserInput;
};

/** The collaborating account. */
export type CollaboratorDestroyedDataUser = {
  __typename?: 'CollaboratorDestroyedDataUser';
  /** The account email. */
  email: Scalars['String']['output'];
  /** Whether the account signs in through an identity provider. */
  federated?: Maybe<Scalars['Boolean']['output']>;
  /** The account id. */
  id: Scalars['String']['output'];
};

/** The collaborating account. */
export type CollaboratorDestroyedDataUserInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** Whether the account signs in through an identity provider. */
  federated?: InputMaybe<Scalars['Boolean']['input']>;
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Publishes a "collaborator.destroyed" event. */
export type CollaboratorDestroyedPublish = {
  data: CollaboratorDestroyedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "collaborator.updated" event. */
export type CollaboratorUpdated = Event & {
  __typename?: 'CollaboratorUpdated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: CollaboratorUpdatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A collaborator’s role or permissions changed. */
export type CollaboratorUpdatedData = {
  __typename?: 'CollaboratorUpdatedData';
  /** Who changed the access. */
  actor?: Maybe<CollaboratorUpdatedDataActor>;
  /** The app. */
  app: CollaboratorUpdatedDataApp;
  /** The collaborator id. */
  id: Scalars['String']['output'];
  /** What the collaborator may do. */
  permissions: Array<CollaboratorUpdatedDataPermissionsItem>;
  /** The values the changed fields had before; only changed fields are present. */
  previous?: Maybe<CollaboratorUpdatedDataPrevious>;
  /** The role on a team app; null on a personal app. */
  role?: Maybe<CollaboratorUpdatedDataRole>;
  /** When the access changed. */
  updated_at: Scalars['DateTime']['output'];
  /** The collaborating account. */
  user: CollaboratorUpdatedDataUser;
};

/** Who changed the access. */
export type CollaboratorUpdatedDataActor = {
  __typename?: 'CollaboratorUpdatedDataActor';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who changed the access. */
export type CollaboratorUpdatedDataActorInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** The app. */
export type CollaboratorUpdatedDataApp = {
  __typename?: 'CollaboratorUpdatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type CollaboratorUpdatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A collaborator’s role or permissions changed. */
export type CollaboratorUpdatedDataInput = {
  /** Who changed the access. */
  actor?: InputMaybe<CollaboratorUpdatedDataActorInput>;
  /** The app. */
  app: CollaboratorUpdatedDataAppInput;
  /** The collaborator id. */
  id: Scalars['String']['input'];
  /** What the collaborator may do. */
  permissions: Array<CollaboratorUpdatedDataPermissionsItem>;
  /** The values the changed fields had before; only changed fields are present. */
  previous?: InputMaybe<CollaboratorUpdatedDataPreviousInput>;
  /** The role on a team app; null on a personal app. */
  role?: InputMaybe<CollaboratorUpdatedDataRole>;
  /** When the access changed. */
  updated_at: Scalars['DateTime']['input'];
  /** The collaborating account. */
  user: CollaboratorUpdatedDataUserInput;
};

/** A permission. */
export type CollaboratorUpdatedDataPermissionsItem =
  | 'deploy'
  | 'manage'
  | 'operate'
  | 'view';

/** The values the changed fields had before; only changed fields are present. */
export type CollaboratorUpdatedDataPrevious = {
  __typename?: 'CollaboratorUpdatedDataPrevious';
  /** What the collaborator may do. */
  permissions?: Maybe<Array<CollaboratorUpdatedDataPreviousPermissionsItem>>;
  /** The role on a team app; null on a personal app. */
  role?: Maybe<CollaboratorUpdatedDataPreviousRole>;
};

/** The values the changed fields had before; only changed fields are present. */
export type CollaboratorUpdatedDataPreviousInput = {
  /** What the collaborator may do. */
  permissions?: InputMaybe<Array<CollaboratorUpdatedDataPreviousPermissionsItem>>;
  /** The role on a team app; null on a personal app. */
  role?: InputMaybe<CollaboratorUpdatedDataPreviousRole>;
};

/** A permission. */
export type CollaboratorUpdatedDataPreviousPermissionsItem =
  | 'deploy'
  | 'manage'
  | 'operate'
  | 'view';

/** The role on a team app; null on a personal app. */
export type CollaboratorUpdatedDataPreviousRole =
  | 'admin'
  | 'collaborator'
  | 'member'
  | 'owner'
  | 'viewer';

/** The role on a team app; null on a personal app. */
export type CollaboratorUpdatedDataRole =
  | 'admin'
  | 'collaborator'
  | 'member'
  | 'owner'
  | 'viewer';

/** The collaborating account. */
export type CollaboratorUpdatedDataUser = {
  __typename?: 'CollaboratorUpdatedDataUser';
  /** The account email. */
  email: Scalars['String']['output'];
  /** Whether the account signs in through an identity provider. */
  federated?: Maybe<Scalars['Boolean']['output']>;
  /** The account id. */
  id: Scalars['String']['output'];
};

/** The collaborating account. */
export type CollaboratorUpdatedDataUserInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** Whether the account signs in through an identity provider. */
  federated?: InputMaybe<Scalars['Boolean']['input']>;
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Publishes a "collaborator.updated" event. */
export type CollaboratorUpdatedPublish = {
  data: CollaboratorUpdatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** How a new schema version must relate to the earlier ones. */
export type Compatibility =
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'
  | 'NONE';

/** A "config_vars.updated" event. */
export type ConfigVarsUpdated = Event & {
  __typename?: 'ConfigVarsUpdated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: ConfigVarsUpdatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** An app’s config vars were set or unset. Only names travel: values are secrets and never leave the platform. */
export type ConfigVarsUpdatedData = {
  __typename?: 'ConfigVarsUpdatedData';
  /** Who changed the config. */
  actor: ConfigVarsUpdatedDataActor;
  /** Names set that were not set before. */
  added: Array<Scalars['String']['output']>;
  /** The app. */
  app: ConfigVarsUpdatedDataApp;
  /** Names whose value changed. */
  changed: Array<Scalars['String']['output']>;
  /** The release the change made; null while it is pending. */
  release?: Maybe<ConfigVarsUpdatedDataRelease>;
  /** Names unset. */
  removed: Array<Scalars['String']['output']>;
  /** When the config changed. */
  updated_at: Scalars['DateTime']['output'];
};

/** Who changed the config. */
export type ConfigVarsUpdatedDataActor = {
  __typename?: 'ConfigVarsUpdatedDataActor';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who changed the config. */
export type ConfigVarsUpdatedDataActorInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** The app. */
export type ConfigVarsUpdatedDataApp = {
  __typename?: 'ConfigVarsUpdatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type ConfigVarsUpdatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** An app’s config vars were set or unset. Only names travel: values are secrets and never leave the platform. */
export type ConfigVarsUpdatedDataInput = {
  /** Who changed the config. */
  actor: ConfigVarsUpdatedDataActorInput;
  /** Names set that were not set before. */
  added: Array<Scalars['String']['input']>;
  /** The app. */
  app: ConfigVarsUpdatedDataAppInput;
  /** Names whose value changed. */
  changed: Array<Scalars['String']['input']>;
  /** The release the change made; null while it is pending. */
  release?: InputMaybe<ConfigVarsUpdatedDataReleaseInput>;
  /** Names unset. */
  removed: Array<Scalars['String']['input']>;
  /** When the config changed. */
  updated_at: Scalars['DateTime']['input'];
};

/** The release the change made; null while it is pending. */
export type ConfigVarsUpdatedDataRelease = {
  __typename?: 'ConfigVarsUpdatedDataRelease';
  /** The release id. */
  id: Scalars['String']['output'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['output'];
};

/** The release the change made; null while it is pending. */
export type ConfigVarsUpdatedDataReleaseInput = {
  /** The release id. */
  id: Scalars['String']['input'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['input'];
};

/** Publishes a "config_vars.updated" event. */
export type ConfigVarsUpdatedPublish = {
  data: ConfigVarsUpdatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A durable consumer group: its members share its streams, each event going to one. */
export type ConsumerGroup = {
  __typename?: 'ConsumerGroup';
  lag: Array<PartitionLag>;
  /** Members connected to the gateway instance that answers. */
  members: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  streams: Array<Scalars['String']['output']>;
};

export type CreateStreamInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** Default 3. */
  partitions?: InputMaybe<Scalars['Int']['input']>;
  /** Default 168 (7 days). */
  retentionHours?: InputMaybe<Scalars['Int']['input']>;
};

/** A "domain.created" event. */
export type DomainCreated = Event & {
  __typename?: 'DomainCreated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: DomainCreatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A domain was added to an app. */
export type DomainCreatedData = {
  __typename?: 'DomainCreatedData';
  /** The Automated Certificate Management status; null when ACM is off. */
  acm_status?: Maybe<DomainCreatedDataAcmStatus>;
  /** The app. */
  app: DomainCreatedDataApp;
  /** The DNS target to point a CNAME at. */
  cname?: Maybe<Scalars['String']['output']>;
  /** When the domain was added. */
  created_at: Scalars['DateTime']['output'];
  /** The hostname. */
  hostname: Scalars['String']['output'];
  /** The domain id. */
  id: Scalars['String']['output'];
  /** heroku for the app’s default domain, custom for the customer’s. */
  kind: DomainCreatedDataKind;
  /** The SNI endpoint serving its certificate, if any. */
  sni_endpoint?: Maybe<DomainCreatedDataSniEndpoint>;
  /** The DNS verification status. */
  status: DomainCreatedDataStatus;
};

/** The Automated Certificate Management status; null when ACM is off. */
export type DomainCreatedDataAcmStatus =
  | 'cert_issued'
  | 'dns_verified'
  | 'failed'
  | 'failing'
  | 'pending'
  | 'verified'
  | 'waiting';

/** The app. */
export type DomainCreatedDataApp = {
  __typename?: 'DomainCreatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type DomainCreatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A domain was added to an app. */
export type DomainCreatedDataInput = {
  /** The Automated Certificate Management status; null when ACM is off. */
  acm_status?: InputMaybe<DomainCreatedDataAcmStatus>;
  /** The app. */
  app: DomainCreatedDataAppInput;
  /** The DNS target to point a CNAME at. */
  cname?: InputMaybe<Scalars['String']['input']>;
  /** When the domain was added. */
  created_at: Scalars['DateTime']['input'];
  /** The hostname. */
  hostname: Scalars['String']['input'];
  /** The domain id. */
  id: Scalars['String']['input'];
  /** heroku for the app’s default domain, custom for the customer’s. */
  kind: DomainCreatedDataKind;
  /** The SNI endpoint serving its certificate, if any. */
  sni_endpoint?: InputMaybe<DomainCreatedDataSniEndpointInput>;
  /** The DNS verification status. */
  status: DomainCreatedDataStatus;
};

/** heroku for the app’s default domain, custom for the customer’s. */
export type DomainCreatedDataKind =
  | 'custom'
  | 'heroku';

/** The SNI endpoint serving its certificate, if any. */
export type DomainCreatedDataSniEndpoint = {
  __typename?: 'DomainCreatedDataSniEndpoint';
  /** The SNI endpoint id. */
  id: Scalars['String']['output'];
  /** The SNI endpoint name. */
  name: Scalars['String']['output'];
};

/** The SNI endpoint serving its certificate, if any. */
export type DomainCreatedDataSniEndpointInput = {
  /** The SNI endpoint id. */
  id: Scalars['String']['input'];
  /** The SNI endpoint name. */
  name: Scalars['String']['input'];
};

/** The DNS verification status. */
export type DomainCreatedDataStatus =
  | 'failed'
  | 'none'
  | 'pending'
  | 'succeeded';

/** Publishes a "domain.created" event. */
export type DomainCreatedPublish = {
  data: DomainCreatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "domain.destroyed" event. */
export type DomainDestroyed = Event & {
  __typename?: 'DomainDestroyed';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: DomainDestroyedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A domain was removed from an app. */
export type DomainDestroyedData = {
  __typename?: 'DomainDestroyedData';
  /** The app. */
  app: DomainDestroyedDataApp;
  /** When the domain was removed. */
  destroyed_at: Scalars['DateTime']['output'];
  /** The hostname. */
  hostname: Scalars['String']['output'];
  /** The domain id. */
  id: Scalars['String']['output'];
};

/** The app. */
export type DomainDestroyedDataApp = {
  __typename?: 'DomainDestroyedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type DomainDestroyedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A domain was removed from an app. */
export type DomainDestroyedDataInput = {
  /** The app. */
  app: DomainDestroyedDataAppInput;
  /** When the domain was removed. */
  destroyed_at: Scalars['DateTime']['input'];
  /** The hostname. */
  hostname: Scalars['String']['input'];
  /** The domain id. */
  id: Scalars['String']['input'];
};

/** Publishes a "domain.destroyed" event. */
export type DomainDestroyedPublish = {
  data: DomainDestroyedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "domain.updated" event. */
export type DomainUpdated = Event & {
  __typename?: 'DomainUpdated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: DomainUpdatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A domain’s DNS verification, certificate status or SNI endpoint changed. */
export type DomainUpdatedData = {
  __typename?: 'DomainUpdatedData';
  /** The Automated Certificate Management status; null when ACM is off. */
  acm_status?: Maybe<DomainUpdatedDataAcmStatus>;
  /** Why ACM is in its status, e.g. a DNS record that does not point at the cname. */
  acm_status_reason?: Maybe<Scalars['String']['output']>;
  /** The app. */
  app: DomainUpdatedDataApp;
  /** The hostname. */
  hostname: Scalars['String']['output'];
  /** The domain id. */
  id: Scalars['String']['output'];
  /** heroku for the app’s default domain, custom for the customer’s. */
  kind: DomainUpdatedDataKind;
  /** The values the changed fields had before; only changed fields are present. */
  previous?: Maybe<DomainUpdatedDataPrevious>;
  /** The SNI endpoint serving its certificate, if any. */
  sni_endpoint?: Maybe<DomainUpdatedDataSniEndpoint>;
  /** The DNS verification status. */
  status: DomainUpdatedDataStatus;
  /** When the domain changed. */
  updated_at: Scalars['DateTime']['output'];
};

/** The Automated Certificate Management status; null when ACM is off. */
export type DomainUpdatedDataAcmStatus =
  | 'cert_issued'
  | 'dns_verified'
  | 'failed'
  | 'failing'
  | 'pending'
  | 'verified'
  | 'waiting';

/** The app. */
export type DomainUpdatedDataApp = {
  __typename?: 'DomainUpdatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type DomainUpdatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A domain’s DNS verification, certificate status or SNI endpoint changed. */
export type DomainUpdatedDataInput = {
  /** The Automated Certificate Management status; null when ACM is off. */
  acm_status?: InputMaybe<DomainUpdatedDataAcmStatus>;
  /** Why ACM is in its status, e.g. a DNS record that does not point at the cname. */
  acm_status_reason?: InputMaybe<Scalars['String']['input']>;
  /** The app. */
  app: DomainUpdatedDataAppInput;
  /** The hostname. */
  hostname: Scalars['String']['input'];
  /** The domain id. */
  id: Scalars['String']['input'];
  /** heroku for the app’s default domain, custom for the customer’s. */
  kind: DomainUpdatedDataKind;
  /** The values the changed fields had before; only changed fields are present. */
  previous?: InputMaybe<DomainUpdatedDataPreviousInput>;
  /** The SNI endpoint serving its certificate, if any. */
  sni_endpoint?: InputMaybe<DomainUpdatedDataSniEndpointInput>;
  /** The DNS verification status. */
  status: DomainUpdatedDataStatus;
  /** When the domain changed. */
  updated_at: Scalars['DateTime']['input'];
};

/** heroku for the app’s default domain, custom for the customer’s. */
export type DomainUpdatedDataKind =
  | 'custom'
  | 'heroku';

/** The values the changed fields had before; only changed fields are present. */
export type DomainUpdatedDataPrevious = {
  __typename?: 'DomainUpdatedDataPrevious';
  /** The Automated Certificate Management status; null when ACM is off. */
  acm_status?: Maybe<DomainUpdatedDataPreviousAcmStatus>;
  /** The DNS verification status. */
  status?: Maybe<DomainUpdatedDataPreviousStatus>;
};

/** The Automated Certificate Management status; null when ACM is off. */
export type DomainUpdatedDataPreviousAcmStatus =
  | 'cert_issued'
  | 'dns_verified'
  | 'failed'
  | 'failing'
  | 'pending'
  | 'verified'
  | 'waiting';

/** The values the changed fields had before; only changed fields are present. */
export type DomainUpdatedDataPreviousInput = {
  /** The Automated Certificate Management status; null when ACM is off. */
  acm_status?: InputMaybe<DomainUpdatedDataPreviousAcmStatus>;
  /** The DNS verification status. */
  status?: InputMaybe<DomainUpdatedDataPreviousStatus>;
};

/** The DNS verification status. */
export type DomainUpdatedDataPreviousStatus =
  | 'failed'
  | 'none'
  | 'pending'
  | 'succeeded';

/** The SNI endpoint serving its certificate, if any. */
export type DomainUpdatedDataSniEndpoint = {
  __typename?: 'DomainUpdatedDataSniEndpoint';
  /** The SNI endpoint id. */
  id: Scalars['String']['output'];
  /** The SNI endpoint name. */
  name: Scalars['String']['output'];
};

/** The SNI endpoint serving its certificate, if any. */
export type DomainUpdatedDataSniEndpointInput = {
  /** The SNI endpoint id. */
  id: Scalars['String']['input'];
  /** The SNI endpoint name. */
  name: Scalars['String']['input'];
};

/** The DNS verification status. */
export type DomainUpdatedDataStatus =
  | 'failed'
  | 'none'
  | 'pending'
  | 'succeeded';

/** Publishes a "domain.updated" event. */
export type DomainUpdatedPublish = {
  data: DomainUpdatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "dyno.crashed" event. */
export type DynoCrashed = Event & {
  __typename?: 'DynoCrashed';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: DynoCrashedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A dyno exited unexpectedly or failed a platform check; the platform restarts it with backoff. */
export type DynoCrashedData = {
  __typename?: 'DynoCrashedData';
  /** The app. */
  app: DynoCrashedDataApp;
  /** When the dyno crashed. */
  crashed_at: Scalars['DateTime']['output'];
  /** The platform error code: H10 app crashed, R10 boot timeout, R14/R15 memory quota, R99 platform error. */
  error_code?: Maybe<DynoCrashedDataErrorCode>;
  /** The process exit code; null when the platform killed it. */
  exit_code?: Maybe<Scalars['Int']['output']>;
  /** The dyno id. */
  id: Scalars['String']['output'];
  /** The dyno name, e.g. web.1 or run.1234. */
  name: Scalars['String']['output'];
  /** When the platform will try again; null when it gave up. */
  next_restart_at?: Maybe<Scalars['DateTime']['output']>;
  /** A human-readable account of the crash. */
  reason?: Maybe<Scalars['String']['output']>;
  /** The release. */
  release: DynoCrashedDataRelease;
  /** Crashes in a row before this one. */
  restart_count?: Maybe<Scalars['Int']['output']>;
  /** The dyno size. */
  size?: Maybe<DynoCrashedDataSize>;
  /** Always crashed. */
  state: Scalars['String']['output'];
  /** The process type from the Procfile, e.g. web or worker. */
  type: Scalars['String']['output'];
};

/** The app. */
export type DynoCrashedDataApp = {
  __typename?: 'DynoCrashedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type DynoCrashedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** The platform error code: H10 app crashed, R10 boot timeout, R14/R15 memory quota, R99 platform error. */
export type DynoCrashedDataErrorCode =
  | 'H10'
  | 'R10'
  | 'R14'
  | 'R15'
  | 'R99';

/** A dyno exited unexpectedly or failed a platform check; the platform restarts it with backoff. */
export type DynoCrashedDataInput = {
  /** The app. */
  app: DynoCrashedDataAppInput;
  /** When the dyno crashed. */
  crashed_at: Scalars['DateTime']['input'];
  /** The platform error code: H10 app crashed, R10 boot timeout, R14/R15 memory quota, R99 platform error. */
  error_code?: InputMaybe<DynoCrashedDataErrorCode>;
  /** The process exit code; null when the platform killed it. */
  exit_code?: InputMaybe<Scalars['Int']['input']>;
  /** The dyno id. */
  id: Scalars['String']['input'];
  /** The dyno name, e.g. web.1 or run.1234. */
  name: Scalars['String']['input'];
  /** When the platform will try again; null when it gave up. */
  next_restart_at?: InputMaybe<Scalars['DateTime']['input']>;
  /** A human-readable account of the crash. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** The release. */
  release: DynoCrashedDataReleaseInput;
  /** Crashes in a row before this one. */
  restart_count?: InputMaybe<Scalars['Int']['input']>;
  /** The dyno size. */
  size?: InputMaybe<DynoCrashedDataSize>;
  /** Always crashed. */
  state: Scalars['String']['input'];
  /** The process type from the Procfile, e.g. web or worker. */
  type: Scalars['String']['input'];
};

/** The release. */
export type DynoCrashedDataRelease = {
  __typename?: 'DynoCrashedDataRelease';
  /** The release id. */
  id: Scalars['String']['output'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['output'];
};

/** The release. */
export type DynoCrashedDataReleaseInput = {
  /** The release id. */
  id: Scalars['String']['input'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['input'];
};

/** The dyno size. */
export type DynoCrashedDataSize =
  | 'Basic'
  | 'Eco'
  | 'Performance_2XL'
  | 'Performance_L'
  | 'Performance_L_RAM'
  | 'Performance_M'
  | 'Performance_XL'
  | 'Private_L'
  | 'Private_M'
  | 'Private_S'
  | 'Shield_L'
  | 'Shield_M'
  | 'Shield_S'
  | 'Standard_1X'
  | 'Standard_2X';

/** Publishes a "dyno.crashed" event. */
export type DynoCrashedPublish = {
  data: DynoCrashedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "dyno.started" event. */
export type DynoStarted = Event & {
  __typename?: 'DynoStarted';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: DynoStartedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A dyno started: after a deploy, a scale-up, a restart or a one-off run. */
export type DynoStartedData = {
  __typename?: 'DynoStartedData';
  /** The app. */
  app: DynoStartedDataApp;
  /** Where to attach to a one-off dyno. */
  attach_url?: Maybe<Scalars['String']['output']>;
  /** The command the dyno runs. */
  command: Scalars['String']['output'];
  /** When the dyno was created. */
  created_at?: Maybe<Scalars['DateTime']['output']>;
  /** The dyno id. */
  id: Scalars['String']['output'];
  /** The dyno name, e.g. web.1 or run.1234. */
  name: Scalars['String']['output'];
  /** The release. */
  release: DynoStartedDataRelease;
  /** The dyno size. */
  size: DynoStartedDataSize;
  /** When it started. */
  started_at: Scalars['DateTime']['output'];
  /** starting until the process binds its port (web) or runs (others), then up. */
  state: DynoStartedDataState;
  /** The process type from the Procfile, e.g. web or worker. */
  type: Scalars['String']['output'];
};

/** The app. */
export type DynoStartedDataApp = {
  __typename?: 'DynoStartedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type DynoStartedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A dyno started: after a deploy, a scale-up, a restart or a one-off run. */
export type DynoStartedDataInput = {
  /** The app. */
  app: DynoStartedDataAppInput;
  /** Where to attach to a one-off dyno. */
  attach_url?: InputMaybe<Scalars['String']['input']>;
  /** The command the dyno runs. */
  command: Scalars['String']['input'];
  /** When the dyno was created. */
  created_at?: InputMaybe<Scalars['DateTime']['input']>;
  /** The dyno id. */
  id: Scalars['String']['input'];
  /** The dyno name, e.g. web.1 or run.1234. */
  name: Scalars['String']['input'];
  /** The release. */
  release: DynoStartedDataReleaseInput;
  /** The dyno size. */
  size: DynoStartedDataSize;
  /** When it started. */
  started_at: Scalars['DateTime']['input'];
  /** starting until the process binds its port (web) or runs (others), then up. */
  state: DynoStartedDataState;
  /** The process type from the Procfile, e.g. web or worker. */
  type: Scalars['String']['input'];
};

/** The release. */
export type DynoStartedDataRelease = {
  __typename?: 'DynoStartedDataRelease';
  /** The release id. */
  id: Scalars['String']['output'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['output'];
};

/** The release. */
export type DynoStartedDataReleaseInput = {
  /** The release id. */
  id: Scalars['String']['input'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['input'];
};

/** The dyno size. */
export type DynoStartedDataSize =
  | 'Basic'
  | 'Eco'
  | 'Performance_2XL'
  | 'Performance_L'
  | 'Performance_L_RAM'
  | 'Performance_M'
  | 'Performance_XL'
  | 'Private_L'
  | 'Private_M'
  | 'Private_S'
  | 'Shield_L'
  | 'Shield_M'
  | 'Shield_S'
  | 'Standard_1X'
  | 'Standard_2X';

/** starting until the process binds its port (web) or runs (others), then up. */
export type DynoStartedDataState =
  | 'starting'
  | 'up';

/** Publishes a "dyno.started" event. */
export type DynoStartedPublish = {
  data: DynoStartedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A "dyno.stopped" event. */
export type DynoStopped = Event & {
  __typename?: 'DynoStopped';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: DynoStoppedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A dyno stopped on purpose: scaled down, replaced by a deploy or a restart, idled, or its one-off command ended. */
export type DynoStoppedData = {
  __typename?: 'DynoStoppedData';
  /** The app. */
  app: DynoStoppedDataApp;
  /** The exit code of a one-off dyno that ended. */
  exit_code?: Maybe<Scalars['Int']['output']>;
  /** The dyno id. */
  id: Scalars['String']['output'];
  /** The dyno name, e.g. web.1 or run.1234. */
  name: Scalars['String']['output'];
  /** Why it stopped. */
  reason: DynoStoppedDataReason;
  /** The release. */
  release?: Maybe<DynoStoppedDataRelease>;
  /** When the dyno stopped. */
  stopped_at: Scalars['DateTime']['output'];
  /** The process type from the Procfile, e.g. web or worker. */
  type: Scalars['String']['output'];
};

/** The app. */
export type DynoStoppedDataApp = {
  __typename?: 'DynoStoppedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type DynoStoppedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A dyno stopped on purpose: scaled down, replaced by a deploy or a restart, idled, or its one-off command ended. */
export type DynoStoppedDataInput = {
  /** The app. */
  app: DynoStoppedDataAppInput;
  /** The exit code of a one-off dyno that ended. */
  exit_code?: InputMaybe<Scalars['Int']['input']>;
  /** The dyno id. */
  id: Scalars['String']['input'];
  /** The dyno name, e.g. web.1 or run.1234. */
  name: Scalars['String']['input'];
  /** Why it stopped. */
  reason: DynoStoppedDataReason;
  /** The release. */
  release?: InputMaybe<DynoStoppedDataReleaseInput>;
  /** When the dyno stopped. */
  stopped_at: Scalars['DateTime']['input'];
  /** The process type from the Procfile, e.g. web or worker. */
  type: Scalars['String']['input'];
};

/** Why it stopped. */
export type DynoStoppedDataReason =
  | 'daily_restart'
  | 'deployed'
  | 'exited'
  | 'idled'
  | 'restarted'
  | 'scaled_down';

/** The release. */
export type DynoStoppedDataRelease = {
  __typename?: 'DynoStoppedDataRelease';
  /** The release id. */
  id: Scalars['String']['output'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['output'];
};

/** The release. */
export type DynoStoppedDataReleaseInput = {
  /** The release id. */
  id: Scalars['String']['input'];
  /** The release number, counting up per app. */
  version: Scalars['Int']['input'];
};

/** Publishes a "dyno.stopped" event. */
export type DynoStoppedPublish = {
  data: DynoStoppedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** An event of a stream: a CloudEvent with its position in the log. */
export type Event = {
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** Server-side filter: every given part must hold. */
export type EventFilter = {
  actions?: InputMaybe<Array<Scalars['String']['input']>>;
  /** At least one group must hold in full. */
  any?: InputMaybe<Array<Array<Predicate>>>;
  resourceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  resourceTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Exact types, or a prefix ending in '*' ("app.*"). */
  types?: InputMaybe<Array<Scalars['String']['input']>>;
  /** All must hold. */
  where?: InputMaybe<Array<Predicate>>;
};

/** A registered event type and its versioned JSON Schema. */
export type EventType = {
  __typename?: 'EventType';
  action: Scalars['String']['output'];
  compatibility: Compatibility;
  /** Why the type is deprecated (deprecateEventType); null while it is not. */
  deprecationReason?: Maybe<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  /** The GraphQL object type of its events. */
  graphqlType: Scalars['String']['output'];
  resourceType: Scalars['String']['output'];
  schema: Scalars['JSON']['output'];
  stream: Scalars['String']['output'];
  type: Scalars['String']['output'];
  version: Scalars['Int']['output'];
  versions: Array<SchemaVersion>;
};

/** A "formation.updated" event. */
export type FormationUpdated = Event & {
  __typename?: 'FormationUpdated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: FormationUpdatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A process type was scaled or resized. */
export type FormationUpdatedData = {
  __typename?: 'FormationUpdatedData';
  /** Who scaled. */
  actor?: Maybe<FormationUpdatedDataActor>;
  /** The app. */
  app: FormationUpdatedDataApp;
  /** The command the process type runs. */
  command?: Maybe<Scalars['String']['output']>;
  /** The formation id. */
  id: Scalars['String']['output'];
  /** The values the changed fields had before; only changed fields are present. */
  previous?: Maybe<FormationUpdatedDataPrevious>;
  /** How many dynos run the process type. */
  quantity: Scalars['Int']['output'];
  /** The dyno size. */
  size: FormationUpdatedDataSize;
  /** The process type from the Procfile, e.g. web or worker. */
  type: Scalars['String']['output'];
  /** When the formation changed. */
  updated_at: Scalars['DateTime']['output'];
};

/** Who scaled. */
export type FormationUpdatedDataActor = {
  __typename?: 'FormationUpdatedDataActor';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who scaled. */
export type FormationUpdatedDataActorInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** The app. */
export type FormationUpdatedDataApp = {
  __typename?: 'FormationUpdatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type FormationUpdatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A process type was scaled or resized. */
export type FormationUpdatedDataInput = {
  /** Who scaled. */
  actor?: InputMaybe<FormationUpdatedDataActorInput>;
  /** The app. */
  app: FormationUpdatedDataAppInput;
  /** The command the process type runs. */
  command?: InputMaybe<Scalars['String']['input']>;
  /** The formation id. */
  id: Scalars['String']['input'];
  /** The values the changed fields had before; only changed fields are present. */
  previous?: InputMaybe<FormationUpdatedDataPreviousInput>;
  /** How many dynos run the process type. */
  quantity: Scalars['Int']['input'];
  /** The dyno size. */
  size: FormationUpdatedDataSize;
  /** The process type from the Procfile, e.g. web or worker. */
  type: Scalars['String']['input'];
  /** When the formation changed. */
  updated_at: Scalars['DateTime']['input'];
};

/** The values the changed fields had before; only changed fields are present. */
export type FormationUpdatedDataPrevious = {
  __typename?: 'FormationUpdatedDataPrevious';
  /** The quantity before. */
  quantity?: Maybe<Scalars['Int']['output']>;
  /** The dyno size. */
  size?: Maybe<FormationUpdatedDataPreviousSize>;
};

/** The values the changed fields had before; only changed fields are present. */
export type FormationUpdatedDataPreviousInput = {
  /** The quantity before. */
  quantity?: InputMaybe<Scalars['Int']['input']>;
  /** The dyno size. */
  size?: InputMaybe<FormationUpdatedDataPreviousSize>;
};

/** The dyno size. */
export type FormationUpdatedDataPreviousSize =
  | 'Basic'
  | 'Eco'
  | 'Performance_2XL'
  | 'Performance_L'
  | 'Performance_L_RAM'
  | 'Performance_M'
  | 'Performance_XL'
  | 'Private_L'
  | 'Private_M'
  | 'Private_S'
  | 'Shield_L'
  | 'Shield_M'
  | 'Shield_S'
  | 'Standard_1X'
  | 'Standard_2X';

/** The dyno size. */
export type FormationUpdatedDataSize =
  | 'Basic'
  | 'Eco'
  | 'Performance_2XL'
  | 'Performance_L'
  | 'Performance_L_RAM'
  | 'Performance_M'
  | 'Performance_XL'
  | 'Private_L'
  | 'Private_M'
  | 'Private_S'
  | 'Shield_L'
  | 'Shield_M'
  | 'Shield_S'
  | 'Standard_1X'
  | 'Standard_2X';

/** Publishes a "formation.updated" event. */
export type FormationUpdatedPublish = {
  data: FormationUpdatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

export type Grant = {
  __typename?: 'Grant';
  operations: Array<Operation>;
  /** A stream name, or a prefix ending in '*'. */
  stream: Scalars['String']['output'];
  types?: Maybe<Array<Scalars['String']['output']>>;
};

export type GrantInput = {
  operations: Array<Operation>;
  /** A stream name, or a prefix ending in '*'. */
  stream: Scalars['String']['input'];
  /** Only these event types (or prefixes ending in '*'). */
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type IssueTokenInput = {
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  grants: Array<GrantInput>;
  /** Subscriptions it may hold open per instance. Default 100. */
  maxSubscriptions?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
  /** Events per second it may publish. Default 1000. */
  publishPerSecond?: InputMaybe<Scalars['Float']['input']>;
  /** A public consumer's tenant: it sees and writes only its own events. */
  tenant?: InputMaybe<Scalars['String']['input']>;
};

export type IssuedToken = {
  __typename?: 'IssuedToken';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Shown this once; only a hash of it is kept. */
  token: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Acknowledges the event with this cursor and every earlier event of its partition in the group. */
  ack: Scalars['Boolean']['output'];
  /** Over a WebSocket: replaces the connection’s token without reconnecting. Subscriptions the new token still grants go on with no gap; the others end with FORBIDDEN. An invalid token changes nothing. Over HTTP, send the token in the Authorization header instead. */
  authenticate: Principal;
  /** Creates a stream and its topic. Needs MANAGE on the name. */
  createStream: Stream;
  /** Deletes an event type and its versions. Its events stay and arrive as UntypedEvent. Needs MANAGE. */
  deleteEventType: Scalars['Boolean']['output'];
  /** Deletes a stream and its event types; open subscriptions on it end with NOT_FOUND. The topic and its events are kept (re-creating the stream adopts them). Needs MANAGE. */
  deleteStream: Scalars['Boolean']['output'];
  /** Deprecates an event type: @deprecated on its publish field, a warning in every publish result. Needs MANAGE. */
  deprecateEventType: EventType;
  /** Issues a token whose grants lie within the caller’s own MANAGE grants. */
  issueToken: IssuedToken;
  /** Typed publish: one field per registered event type, in camelCase. */
  publish: PublishResult;
  /** All events are validated first; if any fails, nothing is written. */
  publishBatch: Array<PublishResult>;
  /** Untyped publish, validated against the type's registered JSON Schema all the same. */
  publishJson: PublishResult;
  /** Registers an event type, or a new version of its schema. Needs MANAGE on the stream. */
  registerEventType: EventType;
  /** Moves the group's position; its members continue from there. Needs MANAGE on its streams. */
  resetConsumerGroup: ConsumerGroup;
  /** Revokes a token at once, on every instance; its subscriptions end. */
  revokeToken: Scalars['Boolean']['output'];
  /** Changes the mode the type's next versions are checked against; no new version. Needs MANAGE. */
  setCompatibility: EventType;
};


export type MutationAckArgs = {
  cursor: Scalars['String']['input'];
  group: Scalars['String']['input'];
};


export type MutationAuthenticateArgs = {
  token: Scalars['String']['input'];
};


export type MutationCreateStreamArgs = {
  input: CreateStreamInput;
};


export type MutationDeleteEventTypeArgs = {
  type: Scalars['String']['input'];
};


export type MutationDeleteStreamArgs = {
  name: Scalars['String']['input'];
};


export type MutationDeprecateEventTypeArgs = {
  reason: Scalars['String']['input'];
  type: Scalars['String']['input'];
};


export type MutationIssueTokenArgs = {
  input: IssueTokenInput;
};


export type MutationPublishArgs = {
  event: PublishInput;
};


export type MutationPublishBatchArgs = {
  events: Array<PublishJsonInput>;
};


export type MutationPublishJsonArgs = {
  event: PublishJsonInput;
};


export type MutationRegisterEventTypeArgs = {
  input: RegisterEventTypeInput;
};


export type MutationResetConsumerGroupArgs = {
  group: Scalars['String']['input'];
  to: StartPosition;
};


export type MutationRevokeTokenArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetCompatibilityArgs = {
  compatibility: Compatibility;
  type: Scalars['String']['input'];
};

export type Operation =
  | 'MANAGE'
  | 'PUBLISH'
  | 'SUBSCRIBE';

/** A partition of one of the group's streams: the group's position and its end. */
export type PartitionLag = {
  __typename?: 'PartitionLag';
  /** The next offset the group will process; null before it has a position. */
  committedOffset?: Maybe<Scalars['String']['output']>;
  endOffset: Scalars['String']['output'];
  /** Events between the group position and the end. */
  lag: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  stream: Scalars['String']['output'];
};

/** A test on the event data at `path`: give exactly one operator. */
export type Predicate = {
  contains?: InputMaybe<Scalars['JSON']['input']>;
  eq?: InputMaybe<Scalars['JSON']['input']>;
  exists?: InputMaybe<Scalars['Boolean']['input']>;
  gt?: InputMaybe<Scalars['JSON']['input']>;
  gte?: InputMaybe<Scalars['JSON']['input']>;
  in?: InputMaybe<Array<Scalars['JSON']['input']>>;
  lt?: InputMaybe<Scalars['JSON']['input']>;
  lte?: InputMaybe<Scalars['JSON']['input']>;
  ne?: InputMaybe<Scalars['JSON']['input']>;
  notIn?: InputMaybe<Array<Scalars['JSON']['input']>>;
  /** A dotted path into the data, e.g. "region.name" or "tags.0". */
  path: Scalars['String']['input'];
  prefix?: InputMaybe<Scalars['String']['input']>;
};

/** Who the token is and what it may do. */
export type Principal = {
  __typename?: 'Principal';
  admin: Scalars['Boolean']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  grants: Array<Grant>;
  maxSubscriptions: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  publishPerSecond: Scalars['Float']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  tokenId?: Maybe<Scalars['ID']['output']>;
};

/** Exactly one field: the event to publish, typed by its registered schema. */
export type PublishInput =
  { addonAttachmentCreated: AddonAttachmentCreatedPublish; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed: AddonAttachmentDestroyedPublish; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated: AddonCreatedPublish; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed: AddonDestroyedPublish; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated: AddonUpdatedPublish; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated: AppCreatedPublish; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed: AppDestroyedPublish; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated: AppUpdatedPublish; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated: BuildCreatedPublish; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed: BuildFailedPublish; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded: BuildSucceededPublish; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated: CollaboratorCreatedPublish; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed: CollaboratorDestroyedPublish; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated: CollaboratorUpdatedPublish; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated: ConfigVarsUpdatedPublish; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated: DomainCreatedPublish; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed: DomainDestroyedPublish; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated: DomainUpdatedPublish; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed: DynoCrashedPublish; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted: DynoStartedPublish; dynoStopped?: never; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped: DynoStoppedPublish; formationUpdated?: never; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated: FormationUpdatedPublish; releaseCreated?: never; }
  |  { addonAttachmentCreated?: never; addonAttachmentDestroyed?: never; addonCreated?: never; addonDestroyed?: never; addonUpdated?: never; appCreated?: never; appDestroyed?: never; appUpdated?: never; buildCreated?: never; buildFailed?: never; buildSucceeded?: never; collaboratorCreated?: never; collaboratorDestroyed?: never; collaboratorUpdated?: never; configVarsUpdated?: never; domainCreated?: never; domainDestroyed?: never; domainUpdated?: never; dynoCrashed?: never; dynoStarted?: never; dynoStopped?: never; formationUpdated?: never; releaseCreated: ReleaseCreatedPublish; };

/** An event of any registered type, validated against the type's JSON Schema. */
export type PublishJsonInput = {
  data: Scalars['JSON']['input'];
  id?: InputMaybe<Scalars['ID']['input']>;
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  time?: InputMaybe<Scalars['DateTime']['input']>;
  type: Scalars['String']['input'];
};

/** Where a published event landed. */
export type PublishResult = {
  __typename?: 'PublishResult';
  /** Subscribe with from: { after: cursor } to receive what comes after this event. */
  cursor: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  stream: Scalars['String']['output'];
  type: Scalars['String']['output'];
  /** What the publisher should know, e.g. that its event type is deprecated. */
  warnings: Array<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  consumerGroup?: Maybe<ConsumerGroup>;
  consumerGroups: Array<ConsumerGroup>;
  eventType?: Maybe<EventType>;
  me: Principal;
  stream?: Maybe<Stream>;
  /** The streams this token may see. */
  streams: Array<Stream>;
};


export type QueryConsumerGroupArgs = {
  name: Scalars['String']['input'];
};


export type QueryEventTypeArgs = {
  type: Scalars['String']['input'];
};


export type QueryStreamArgs = {
  name: Scalars['String']['input'];
};

export type RegisterEventTypeInput = {
  /** Default BACKWARD, or the current mode. */
  compatibility?: InputMaybe<Compatibility>;
  description?: InputMaybe<Scalars['String']['input']>;
  /** JSON Schema, draft 2020-12 or draft-07. */
  schema: Scalars['JSON']['input'];
  stream: Scalars['String']['input'];
  /** <resourceType>.<action>, lower case, dotted. */
  type: Scalars['String']['input'];
};

/** A "release.created" event. */
export type ReleaseCreated = Event & {
  __typename?: 'ReleaseCreated';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  data: ReleaseCreatedData;
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};

/** A release was made: a new build, a config change, an add-on change or a rollback. */
export type ReleaseCreatedData = {
  __typename?: 'ReleaseCreatedData';
  /** The add-on plans attached when the release was made. */
  addon_plan_names?: Maybe<Array<Scalars['String']['output']>>;
  /** The app. */
  app: ReleaseCreatedDataApp;
  /** When the release was made. */
  created_at: Scalars['DateTime']['output'];
  /** Whether this is the release the app runs now. */
  current: Scalars['Boolean']['output'];
  /** What the release is, e.g. "Deploy 1a2b3c4" or "Set DATABASE_URL config vars". */
  description: Scalars['String']['output'];
  /** The release id. */
  id: Scalars['String']['output'];
  /** Where the release phase output streams. */
  output_stream_url?: Maybe<Scalars['String']['output']>;
  /** The slug the release runs; null for releases without code. */
  slug?: Maybe<ReleaseCreatedDataSlug>;
  /** pending while the release phase runs, then succeeded or failed. */
  status: ReleaseCreatedDataStatus;
  /** When the release last changed. */
  updated_at?: Maybe<Scalars['DateTime']['output']>;
  /** Who made the release. */
  user: ReleaseCreatedDataUser;
  /** The release number, counting up per app. */
  version: Scalars['Int']['output'];
};

/** The app. */
export type ReleaseCreatedDataApp = {
  __typename?: 'ReleaseCreatedDataApp';
  /** The app id. */
  id: Scalars['String']['output'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['output'];
};

/** The app. */
export type ReleaseCreatedDataAppInput = {
  /** The app id. */
  id: Scalars['String']['input'];
  /** The app name, unique across the platform. */
  name: Scalars['String']['input'];
};

/** A release was made: a new build, a config change, an add-on change or a rollback. */
export type ReleaseCreatedDataInput = {
  /** The add-on plans attached when the release was made. */
  addon_plan_names?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The app. */
  app: ReleaseCreatedDataAppInput;
  /** When the release was made. */
  created_at: Scalars['DateTime']['input'];
  /** Whether this is the release the app runs now. */
  current: Scalars['Boolean']['input'];
  /** What the release is, e.g. "Deploy 1a2b3c4" or "Set DATABASE_URL config vars". */
  description: Scalars['String']['input'];
  /** The release id. */
  id: Scalars['String']['input'];
  /** Where the release phase output streams. */
  output_stream_url?: InputMaybe<Scalars['String']['input']>;
  /** The slug the release runs; null for releases without code. */
  slug?: InputMaybe<ReleaseCreatedDataSlugInput>;
  /** pending while the release phase runs, then succeeded or failed. */
  status: ReleaseCreatedDataStatus;
  /** When the release last changed. */
  updated_at?: InputMaybe<Scalars['DateTime']['input']>;
  /** Who made the release. */
  user: ReleaseCreatedDataUserInput;
  /** The release number, counting up per app. */
  version: Scalars['Int']['input'];
};

/** The slug the release runs; null for releases without code. */
export type ReleaseCreatedDataSlug = {
  __typename?: 'ReleaseCreatedDataSlug';
  /** The slug id. */
  id: Scalars['String']['output'];
};

/** The slug the release runs; null for releases without code. */
export type ReleaseCreatedDataSlugInput = {
  /** The slug id. */
  id: Scalars['String']['input'];
};

/** pending while the release phase runs, then succeeded or failed. */
export type ReleaseCreatedDataStatus =
  | 'failed'
  | 'pending'
  | 'succeeded';

/** Who made the release. */
export type ReleaseCreatedDataUser = {
  __typename?: 'ReleaseCreatedDataUser';
  /** The account email. */
  email: Scalars['String']['output'];
  /** The account id. */
  id: Scalars['String']['output'];
};

/** Who made the release. */
export type ReleaseCreatedDataUserInput = {
  /** The account email. */
  email: Scalars['String']['input'];
  /** The account id. */
  id: Scalars['String']['input'];
};

/** Publishes a "release.created" event. */
export type ReleaseCreatedPublish = {
  data: ReleaseCreatedDataInput;
  /** Unique; made by the gateway when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The resource the event is about: its Kafka key. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Who published; default: the token's name. */
  source?: InputMaybe<Scalars['String']['input']>;
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** When it happened; default: now. */
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

export type SchemaVersion = {
  __typename?: 'SchemaVersion';
  compatibility: Compatibility;
  createdAt: Scalars['DateTime']['output'];
  schema: Scalars['JSON']['output'];
  version: Scalars['Int']['output'];
};

/** Where a subscription starts: exactly one field. */
export type StartPosition =
  /** A cursor: right after the event it came with. */
  { after: Scalars['String']['input']; earliest?: never; latest?: never; time?: never; }
  |  /** Everything the stream still retains. */
  { after?: never; earliest: Scalars['Boolean']['input']; latest?: never; time?: never; }
  |  /** Default: only events published from now on. */
  { after?: never; earliest?: never; latest: Scalars['Boolean']['input']; time?: never; }
  |  /** The first event at or after this time. */
  { after?: never; earliest?: never; latest?: never; time: Scalars['DateTime']['input']; };

/** A named, partitioned, retained sequence of events: a Kafka topic. */
export type Stream = {
  __typename?: 'Stream';
  description?: Maybe<Scalars['String']['output']>;
  eventTypes: Array<EventType>;
  name: Scalars['String']['output'];
  owner: Scalars['String']['output'];
  partitions: Scalars['Int']['output'];
  /** Null: kept forever. */
  retentionHours?: Maybe<Scalars['Int']['output']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** A member of a consumer group. Each event of the group's streams goes to one member at a time; the group's position is kept (in Kafka) and moves on as members acknowledge. At-least-once: what a member received but did not acknowledge before it left goes to another member. */
  consume: Event;
  /** Events of the given streams, filtered on the server, from the chosen start. */
  events: Event;
};


export type SubscriptionConsumeArgs = {
  filter?: InputMaybe<EventFilter>;
  from?: InputMaybe<StartPosition>;
  group: Scalars['String']['input'];
  maxUnacked?: InputMaybe<Scalars['Int']['input']>;
  streams: Array<Scalars['String']['input']>;
};


export type SubscriptionEventsArgs = {
  filter?: InputMaybe<EventFilter>;
  from?: InputMaybe<StartPosition>;
  streams: Array<Scalars['String']['input']>;
};

/** An event whose type is not registered, e.g. written into Kafka by a native producer. */
export type UntypedEvent = Event & {
  __typename?: 'UntypedEvent';
  action: Scalars['String']['output'];
  /** Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance. */
  cursor: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  /** The data as raw JSON. */
  payload: Scalars['JSON']['output'];
  resourceId?: Maybe<Scalars['ID']['output']>;
  resourceType: Scalars['String']['output'];
  schemaVersion?: Maybe<Scalars['Int']['output']>;
  source: Scalars['String']['output'];
  stream: Scalars['String']['output'];
  tenant?: Maybe<Scalars['String']['output']>;
  time: Scalars['DateTime']['output'];
  type: Scalars['String']['output'];
};
