/**
 * Thousands of random and mutated GraphQL documents, variables, event payloads and CloudEvents
 * thrown at a gateway on the real broker, with a token that may publish and subscribe on one
 * stream (and, for some cases, no token or a forged one). Afterwards:
 * - the process still serves, and no answer was a server error: every refusal carries a code
 *   of the contract;
 * - the stream's topic, read back from Kafka (read_committed), holds exactly the acknowledged
 *   events, each a valid CloudEvent whose data matches its type's schema.
 *
 * The seed is printed; FUZZ_SEED=<seed> replays a run, FUZZ_CASES=<n> changes its length.
 */
import { createRequire } from 'node:module';
import { getIntrospectionQuery } from 'graphql';
import { createKafkaLog } from '../../src/log/kafka/index.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import {
  graphqlOk,
  platformExample,
  platformSchema,
  PUBLISH_RESULT_FIELDS,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { kafkaBrokers } from '../support/kafka.js';
import { scrapeMetric } from '../support/metrics.js';
import { createFaultStream } from '../fault/fault-fixtures.js';
import {
  brokenBody,
  mutateDocument,
  mutateJson,
  Random,
  randomJson,
  tokenSoup,
  withDeepValue,
} from './fuzz-inputs.js';

const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as typeof import('ajv/dist/2020.js')).default;
const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;

const CASES = Number(process.env['FUZZ_CASES'] ?? 3000);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const CONCURRENCY = 8;

interface Answer {
  readonly kind: string;
  readonly status: number;
  readonly body: string;
}

/** The case a record's id names (`c<case>-<n>`), if the fuzzer's mutations left it intact. */
function caseOf(id: string | undefined): number | undefined {
  const match = /^c(\d+)-\d$/.exec(id ?? '');
  return match ? Number(match[1]) : undefined;
}

describe('fuzzing the gateway', () => {
  let gateway: GatewayProcess;
  let token: string;
  let stream: string;
  /** Registered type → the platform schema it was registered with. */
  const types = new Map<string, string>();
  /** PublishInput field of each registered type (`fzabcdAppCreated`). */
  const typedFields = new Map<string, string>();

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: kafkaBrokers() });
    const fault = await createFaultStream(gateway, 2);
    stream = fault.stream;
    types.set(fault.type, 'app.created');
    const second = fault.type.replace('.app.created', '.build.created');
    await graphqlOk(
      gateway,
      'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type } }',
      {
        input: { type: second, stream, schema: platformSchema('build.created') },
      },
    );
    types.set(second, 'build.created');
    const issued = await graphqlOk(
      gateway,
      'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
      {
        input: { name: 'fuzzer', grants: [{ stream, operations: ['PUBLISH', 'SUBSCRIBE'] }] },
      },
    );
    token = issued.issueToken.token;
    const input = await graphqlOk(
      gateway,
      '{ __type(name: "PublishInput") { inputFields { name } } }',
    );
    for (const { name } of input.__type.inputFields as { name: string }[]) {
      for (const type of types.keys()) {
        const pascal = type
          .split(/[._]/)
          .map((part) => part[0]!.toUpperCase() + part.slice(1))
          .join('');
        if (name.toLowerCase() === pascal.toLowerCase()) typedFields.set(type, name);
      }
    }
    expect(typedFields.size).toBe(2);
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  test(
    `${CASES} hostile requests: no crash, no server error, only valid records written`,
    { timeout: 600_000 },
    async () => {
      const random = new Random(SEED);
      console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${CASES} cases`);
      const [appType, buildType] = [...types.keys()] as [string, string];
      const example = (type: string) => platformExample(types.get(type)!);
      const corpus = [
        `mutation P($event: PublishJsonInput!) { publishJson(event: $event) { ${PUBLISH_RESULT_FIELDS} } }`,
        `mutation B($events: [PublishJsonInput!]!) { publishBatch(events: $events) { ${PUBLISH_RESULT_FIELDS} } }`,
        `mutation T($data: ${typedFields.get(appType)![0]!.toUpperCase()}${typedFields.get(appType)!.slice(1)}DataInput!) { publish(event: { ${typedFields.get(appType)}: { data: $data } }) { id offset } }`,
        `{ me { name tenant grants { stream operations types } } streams { name partitions eventTypes { type version } } }`,
        `query S($name: String!) { stream(name: $name) { name eventTypes { type schema versions { version createdAt } } } }`,
        `subscription { events(streams: ["${stream}"], filter: { types: ["*"], where: [{ path: "name", eq: "x" }] }, from: { earliest: true }) { id cursor payload } }`,
        `mutation { createStream(input: { name: "fuzz-made", partitions: 1 }) { name } }`,
        `mutation { revokeToken(id: "nope") }`,
        getIntrospectionQuery(),
      ];
      // Ids name the case, so a record read back tells which request wrote it.
      let caseNumber = 0;
      const validVariables = () => ({
        event: { type: appType, data: example(appType), id: `c${caseNumber}-0` },
        events: [
          { type: appType, data: example(appType), id: `c${caseNumber}-1` },
          { type: buildType, data: example(buildType), id: `c${caseNumber}-2` },
        ],
        data: example(appType),
        name: stream,
      });
      const authorization = () =>
        random.chance(0.9)
          ? `Bearer ${token}`
          : random.pick([
              '',
              'Bearer ',
              `Bearer ${token}x`,
              'Basic Zm9vOmJhcg==',
              `Bearer ${'a'.repeat(5000)}`,
              // Well-formed, unknown id: refused at the cost of a wrong secret (a dummy hash).
              `Bearer sg_${random
                .int(2 ** 31)
                .toString(16)
                .padStart(16, '0')}_${'A'.repeat(43)}`,
            ]);

      function graphqlCase(): { kind: string; init: RequestInit; path: string } {
        const roll = random.next();
        let kind: string;
        let body: string;
        if (roll < 0.15) {
          kind = 'token-soup';
          body = JSON.stringify({ query: tokenSoup(random) });
        } else if (roll < 0.45) {
          kind = 'mutated-document';
          body = JSON.stringify({
            query: mutateDocument(random, random.pick(corpus)),
            variables: validVariables(),
          });
        } else if (roll < 0.47) {
          kind = 'deep-json';
          const deep = { type: appType, data: '__DEEP__' };
          body = withDeepValue(
            JSON.stringify({ query: corpus[0], variables: { event: deep } }),
            random.int(200_000),
          );
        } else if (roll < 0.5) {
          // Past the byte limits of variables (256 KiB) or of a filter (64 KiB), or just under.
          kind = 'huge-variables';
          const size = random.pick([60, 70, 200, 300]) * 1024;
          body = JSON.stringify(
            random.chance(0.5)
              ? { query: corpus[4], variables: { name: 'x'.repeat(size) } }
              : {
                  query: `subscription($filter: EventFilter) { events(streams: ["${stream}"], filter: $filter) { id } }`,
                  variables: { filter: { where: [{ path: 'name', in: ['y'.repeat(size)] }] } },
                },
          );
        } else if (roll < 0.85) {
          kind = 'mutated-variables';
          const variables = validVariables() as Record<string, unknown>;
          body = JSON.stringify({
            query: random.pick(corpus.slice(0, 5)),
            variables: mutateJson(random, variables),
          });
        } else if (roll < 0.95) {
          kind = 'broken-body';
          body = brokenBody(
            random,
            JSON.stringify({ query: corpus[0], variables: validVariables() }),
          );
        } else {
          kind = 'odd-shape';
          body = JSON.stringify(
            random.pick([
              randomJson(random, 0),
              { query: randomJson(random, 0) },
              {
                query: corpus[0],
                variables: randomJson(random, 0),
                operationName: randomJson(random, 0),
                extensions: randomJson(random, 0),
              },
            ]),
          );
        }
        const contentType = random.chance(0.95)
          ? 'application/json'
          : random.pick([
              'text/plain',
              'application/graphql',
              'multipart/form-data; boundary=x',
              '',
            ]);
        return {
          kind,
          path: '/graphql',
          init: {
            method: 'POST',
            headers: {
              'content-type': contentType,
              accept: 'application/graphql-response+json, application/json',
              authorization: authorization(),
            },
            body,
          },
        };
      }

      function cloudEventCase(): { kind: string; init: RequestInit; path: string } {
        const type = random.pick([appType, buildType]);
        const event = {
          specversion: '1.0',
          id: `c${caseNumber}-0`,
          source: 'fuzz',
          type,
          subject: 'r1',
          time: '2025-03-14T09:26:53Z',
          data: example(type),
        };
        const mode = random.int(3);
        if (mode === 0) {
          const body = random.chance(0.2)
            ? brokenBody(random, JSON.stringify(event))
            : JSON.stringify(mutateJson(random, event));
          return {
            kind: 'ce-structured',
            path: '/events',
            init: {
              method: 'POST',
              headers: {
                'content-type': 'application/cloudevents+json',
                authorization: authorization(),
              },
              body,
            },
          };
        }
        if (mode === 1) {
          const batch = Array.from({ length: 1 + random.int(4) }, () =>
            random.chance(0.5) ? mutateJson(random, event) : event,
          );
          return {
            kind: 'ce-batch',
            path: '/events',
            init: {
              method: 'POST',
              headers: {
                'content-type': 'application/cloudevents-batch+json',
                authorization: authorization(),
              },
              body: JSON.stringify(random.chance(0.1) ? randomJson(random, 0) : batch),
            },
          };
        }
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          authorization: authorization(),
          'ce-specversion': '1.0',
          'ce-id': event.id,
          'ce-source': 'fuzz',
          'ce-type': type,
          'ce-subject': 'r1',
        };
        const broken = random.pick(Object.keys(headers).filter((h) => h.startsWith('ce-')));
        if (random.chance(0.5))
          headers[broken] = random.pick([
            '',
            '2.0',
            'x'.repeat(300),
            'not a type',
            '\u00e4',
            'app..created',
          ]);
        else if (random.chance(0.5)) delete headers[broken];
        return {
          kind: 'ce-binary',
          path: '/events',
          init: { method: 'POST', headers, body: JSON.stringify(mutateJson(random, event.data)) },
        };
      }

      const rssBefore = await memory(gateway, 'streamgate_process_resident_memory_bytes');
      const heapBefore = await memory(gateway, 'streamgate_nodejs_heap_size_used_bytes');
      const answers: Answer[] = [];
      const acked = new Set<string>();
      async function worker() {
        while (caseNumber < CASES) {
          caseNumber++;
          const number = caseNumber;
          const request = random.chance(0.75) ? graphqlCase() : cloudEventCase();
          let response: Response;
          try {
            response = await fetch(`${gateway.url}${request.path}`, {
              ...request.init,
              signal: AbortSignal.timeout(30_000),
            });
          } catch (error) {
            // Only a header value the client itself refuses to send may fail here; never the server.
            if (error instanceof TypeError && /header/i.test(String(error.cause ?? error.message)))
              continue;
            throw new Error(`${request.kind}: no answer: ${String(error)}`, { cause: error });
          }
          const body = await response.text();
          answers[number] = { kind: request.kind, status: response.status, body };
          collectAcks(body, acked);
        }
      }
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      // The process serves on, and no answer was a server error or a masked one.
      expect(gateway.child.exitCode, gateway.output().slice(-3000)).toBeNull();
      expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
      const answered = answers.filter(Boolean);
      const serverErrors = answered.filter(
        (a) => a.status >= 500 || a.body.includes('Unexpected error'),
      );
      expect(serverErrors.slice(0, 5), `server errors: ${serverErrors.length}`).toEqual([]);
      const uncoded = answered.filter((a) =>
        refusalCodes(a.body).some((code) => !Object.hasOwn(ErrorCode, code)),
      );
      expect(
        uncoded.slice(0, 5).map((a) => `${a.kind} ${a.status} ${a.body.slice(0, 300)}`),
      ).toEqual([]);

      const rss = await memory(gateway, 'streamgate_process_resident_memory_bytes');
      const heap = await memory(gateway, 'streamgate_nodejs_heap_size_used_bytes');
      // Generous, but a gateway that kept what it was sent would pass it within these cases.
      expect(heap, 'heap used after the fuzz run').toBeLessThan(512 * 2 ** 20);
      const byKind = new Map<string, number>();
      for (const answer of answered) byKind.set(answer.kind, (byKind.get(answer.kind) ?? 0) + 1);
      console.log(
        `fuzz: ${answered.length} cases ${JSON.stringify(Object.fromEntries(byKind))}; ` +
          `${acked.size} events acknowledged; gateway RSS ${Math.round(rss / 2 ** 20)} MiB, heap used ${Math.round(heap / 2 ** 20)} MiB ` +
          `(before: RSS ${Math.round(rssBefore / 2 ** 20)} MiB, heap ${Math.round(heapBefore / 2 ** 20)} MiB)`,
      );

      // The topic holds exactly the acknowledged events, each valid.
      const records = await readTopic(`${gateway.topicPrefix}${stream}`);
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
      const validators = new Map(
        [...types].map(([type, platform]) => [type, ajv.compile(platformSchema(platform))]),
      );
      const invalid: string[] = [];
      for (const record of records) {
        const type = record.headers['ce_type'] ?? '';
        const validate = validators.get(type);
        const problems: string[] = [];
        if (!validate) problems.push(`unknown type "${type}"`);
        if (record.headers['ce_specversion'] !== '1.0') problems.push('ce_specversion');
        if (!record.headers['ce_id']) problems.push('ce_id');
        if (!record.headers['ce_source']) problems.push('ce_source');
        if (Number.isNaN(Date.parse(record.headers['ce_time'] ?? ''))) problems.push('ce_time');
        if (record.headers['content-type'] !== 'application/json') problems.push('content-type');
        let data: unknown;
        try {
          data = JSON.parse(record.value);
        } catch {
          problems.push('value is not JSON');
        }
        if (validate && !validate(data)) problems.push(ajv.errorsText(validate.errors));
        if (problems.length > 0) invalid.push(`${record.headers['ce_id']}: ${problems.join('; ')}`);
      }
      console.log(`fuzz: read back ${records.length} records, ${invalid.length} invalid`);
      expect(invalid.slice(0, 5)).toEqual([]);
      const written = new Set(records.map((r) => r.headers['ce_id']));
      expect(
        [...acked].filter((id) => !written.has(id)),
        'acknowledged but not written',
      ).toEqual([]);
      // A record whose id names its case was written by that case: which must have succeeded in
      // full (a refused publish writes nothing).
      const fromRefused = records.filter((record) => {
        const answer = answers[caseOf(record.headers['ce_id']) ?? -1];
        return answer !== undefined && refusedInFull(answer);
      });
      expect(
        fromRefused.map((r) => r.headers['ce_id']),
        'records written by refused requests',
      ).toEqual([]);
      const attributed = records.filter(
        (record) => caseOf(record.headers['ce_id']) !== undefined,
      ).length;
      console.log(
        `fuzz: ${attributed} of ${records.length} records traced to the request that wrote them`,
      );
    },
  );
});

/** Ids of events a response acknowledges (publishJson, publish, publishBatch, POST /events). */
function collectAcks(body: string, acked: Set<string>): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return;
  }
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (
      typeof record['id'] === 'string' &&
      record['offset'] !== undefined &&
      record['partition'] !== undefined
    )
      acked.add(record['id']);
    else Object.values(record).forEach(visit);
  };
  const top = parsed as { data?: unknown; errors?: unknown };
  if (top && typeof top === 'object' && 'data' in top) visit(top.data);
  else if (!(top && typeof top === 'object' && ('errors' in top || 'status' in top))) visit(parsed);
}

/**
 * True when an answer wrote nothing by its own account: an HTTP error, or GraphQL errors with no
 * field of data (several mutation fields in one document succeed or fail one by one).
 */
function refusedInFull(answer: Answer): boolean {
  if (answer.status !== 200) return true;
  try {
    const parsed = JSON.parse(answer.body) as {
      data?: Record<string, unknown> | null;
      errors?: unknown[];
    };
    if (!parsed.errors?.length) return false;
    return !parsed.data || Object.values(parsed.data).every((field) => field === null);
  } catch {
    return true;
  }
}

/** The codes of the errors in a GraphQL or problem+json answer. */
function refusalCodes(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as {
      errors?: { extensions?: { code?: string } }[];
      code?: string;
      status?: number;
    };
    // application/problem+json (POST /events): its `errors` are validation issues, not GraphQL errors.
    if (typeof parsed.status === 'number')
      return parsed.status >= 400 ? [parsed.code ?? '(none)'] : [];
    if (Array.isArray(parsed.errors))
      return parsed.errors.map((e) => e.extensions?.code ?? '(none)');
  } catch {
    // Not JSON: an answer of node's HTTP layer (431, 408) or a 405; its status was checked.
  }
  return [];
}

const memory = scrapeMetric;

interface ReadRecord {
  readonly headers: Record<string, string>;
  readonly value: string;
}

/** Every record of the topic, read with a plain kafkajs consumer up to its high watermarks. */
async function readTopic(topic: string): Promise<ReadRecord[]> {
  // The gateway's own Kafka adapter, read_committed and by partition and offset: it reads up to
  // each partition's end even where the last offsets are transaction markers (a consumer waiting
  // for a record at the last offset would wait for ever).
  const log = createKafkaLog({ brokers: kafkaBrokers() });
  try {
    const records: ReadRecord[] = [];
    for (const { partition, low, high } of await log.offsets(topic)) {
      for (let offset = low; offset < high;) {
        const fetched = await log.fetch({ topic, partition, offset });
        for (const record of fetched.records) {
          records.push({
            headers: { ...record.headers },
            value: record.value?.toString('utf8') ?? '',
          });
        }
        if (fetched.next <= offset) break; // an open transaction: nothing committed beyond
        offset = fetched.next;
      }
    }
    return records;
  } finally {
    await log.close();
  }
}
