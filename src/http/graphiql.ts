import type { YogaServerOptions } from 'graphql-yoga';
import { renderGraphiQLWithTokenGate } from './graphiql-token-gate.js';

type GraphiqlSetup = Pick<YogaServerOptions<object, object>, 'renderGraphiQL' | 'graphiql'>;

/**
 * GraphiQL for a browser on `GET /graphql`, served from the package itself, not a CDN: gateways
 * often run where the browser cannot reach one (private networks, strict CSP). It asks for the
 * token first and loads the schema with it (graphiql-token-gate.ts). Subscriptions in it run over
 * SSE, with the same Authorization header as queries.
 */
export const graphiqlSetup: GraphiqlSetup = {
  renderGraphiQL: renderGraphiQLWithTokenGate,
  graphiql: {
    title: 'Streamgate',
    subscriptionsProtocol: 'SSE',
    defaultQuery: `# Welcome to Streamgate. Your token is in the Headers tab below.
#
# Run Watch in a second tab, then Publish here: the event arrives there at once.
# From a terminal: npx streamgate tail platform --type 'app.*'

subscription Watch {
  events(streams: ["platform"], filter: { types: ["app.*"] }) {
    type
    resourceId
    time
    cursor
    ... on AppCreated { data { name region { name } } }
  }
}

mutation Publish {
  publish(event: { appCreated: {
    resourceId: "01234567-89ab-cdef-0123-456789abcdef"
    data: {
      id: "01234567-89ab-cdef-0123-456789abcdef", name: "example-shop"
      region: { id: "59accabd-516d-4f0e-83e6-6e3757701145", name: us }
      stack: { id: "ae3d6f4c-5e0b-4f2a-9a43-0f1c5d1b7a21", name: heroku_24 }
      owner: { id: "5f2a6d1e-8b3c-4e7f-9a0d-2c4b6e8f1a3c", email: "dev@example.com" }
      acm: false, maintenance: false
      created_at: "2025-03-14T09:26:53Z", updated_at: "2025-03-14T09:26:53Z"
    }
  } }) { id stream partition offset cursor }
}
`,
  },
};
