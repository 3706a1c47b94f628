import { printSchema } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { RegistryState } from '../src/registry/registry-state.ts';
import { buildGatewaySchema } from '../src/graphql/build-schema.ts';
const s = new RegistryState();
console.log(s.apply({kind:'stream', name:'platform', partitions:6, retentionHours:168, description:null, owner:'x', createdAt:'2020-01-01T00:00:00Z'}));
for (const f of readdirSync('/work/main/schema/platform').filter(f=>f.endsWith('.json'))) {
  const schema = JSON.parse(readFileSync('/work/main/schema/platform/'+f,'utf8'));
  const o = s.apply({kind:'schema', type:f.slice(0,-5), stream:'platform', version:1, schema, compatibility:'BACKWARD', description:null, owner:'x', createdAt:'2020-01-01T00:00:00Z'});
  if (!o.accepted) console.log(f, o);
}
const t0 = performance.now();
const sdl = printSchema(buildGatewaySchema(s));
console.log(performance.now()-t0, sdl.length);
console.log(sdl.split('\n').filter(l=>/^(type|input|enum|interface|scalar)/.test(l)).join('\n'));
