import fc from 'fast-check';

/**
 * Malformed requests for every operation of openapi.json, generated with fast-check. Each request
 * carries `mustReject`: true when the malformed part reaches an input the operation validates (its
 * body DTO, query DTO, path id, or its session), so the API must answer a 4xx problem and write nothing;
 * false when the operation ignores that part (a body on GET /me, junk query on logout), where any
 * declared answer is fine as long as it is not a 5xx.
 */

type Json = Record<string, any>;

export interface FuzzOperation {
  id: string;
  method: string;
  /** Path template, e.g. /api/v1/clients/{id}. */
  path: string;
  isPublic: boolean;
  pathParams: string[];
  query: Array<{ name: string; schema: Json }>;
  /** Resolved object schema of the JSON body, when the operation takes one. */
  body?: { properties: Record<string, Json>; required: string[] };
  /** Status codes the spec declares for this operation. */
  statuses: Set<number>;
}

export interface FuzzRequest {
  operation: string;
  /** What was malformed, for failure reports: e.g. "body.name: NUL". */
  kind: string;
  method: string;
  /** Raw request target (already percent-encoded); `{{id}}` stands for a real client id of the owner. */
  target: string;
  contentType?: string;
  body?: string;
  mustReject: boolean;
}

export function fuzzOperations(spec: Json): FuzzOperation[] {
  const deref = (node: Json): Json => (node?.$ref ? deref(node.$ref.split('/').slice(1).reduce((n: Json, k: string) => n[k], spec)) : node);
  return Object.entries(spec.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).map(([method, op]: [string, Json]) => {
      const params = (op.parameters ?? []) as Json[];
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const body = bodySchema ? deref(bodySchema) : undefined;
      return {
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        isPublic: Array.isArray(op.security) && op.security.length === 0,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: deref(p.schema) })),
        body: body && { properties: body.properties ?? {}, required: body.required ?? [] },
        statuses: new Set(Object.keys(op.responses).map(Number)),
      };
    }),
  );
}

// ---- building blocks --------------------------------------------------------------------------

/**
 * JSON text nested `depth` levels deep, alternating arrays and objects. Both 2,000 levels (the depth
 * reported) and 20,000: whether 2,000 overflows the stack of a recursive walker depends on whether
 * V8 has optimised it yet (optimised frames are smaller), so 2,000 alone stops failing once warm.
 */
const deepJson = (depth: number, leaf = '1') => {
  let text = leaf;
  for (let i = 0; i < depth; i++) text = i % 2 ? `{"a":${text}}` : `[${text}]`;
  return text;
};
const DEEP = [2000, 20_000] as const;
const encodeAll = (text: string) => encodeURIComponent(text);
const percentBytes = (bytes: Uint8Array) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

const insertAt = (base: string, insert: string, at: number) => base.slice(0, at % (base.length + 1)) + insert + base.slice(at % (base.length + 1));
const withChar = (char: string) => fc.tuple(fc.string({ maxLength: 20 }), fc.nat()).map(([s, at]) => insertAt(s || 'x', char, at));

/** Malformed string values: [label, value]. */
const badStrings = (maxLength: number | undefined): fc.Arbitrary<[string, string]> =>
  fc.oneof(
    withChar('\u0000').map((s): [string, string] => ['NUL', s]),
    fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF').chain((c) => withChar(c)).map((s): [string, string] => ['lone surrogate', s]),
    fc.integer({ min: 1, max: 1000 }).map((extra): [string, string] => ['over maxLength', 'x'.repeat((maxLength ?? 10_000) + extra)]),
    fc.constant<[string, string]>(['huge string (300k)', 'y'.repeat(300_000)]),
  );

/** JSON values of the wrong type for a string field (null is not here: it clears optional fields). */
const wrongTypes: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.integer().map((n): [string, string] => ['integer', JSON.stringify(n)]),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n): [string, string] => ['number', JSON.stringify(n)]),
  fc.boolean().map((b): [string, string] => ['boolean', JSON.stringify(b)]),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }).map((a): [string, string] => ['array', JSON.stringify(a)]),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }).map((o): [string, string] => ['object', JSON.stringify(o)]),
  fc.constantFrom(...DEEP).map((depth): [string, string] => [`deep nesting (${depth} levels)`, deepJson(depth)]),
  fc.constant<[string, string]>(['huge array (60k items)', `[${Array(60_000).fill(0).join(',')}]`]),
);

/** Bad values for a path id: [label, raw path segment]. */
const badIds: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.constantFrom<[string, string]>(
    ['not a uuid', 'not-a-uuid'],
    ['numeric', '12345'],
    ['negative', '-1'],
    ['5,000 characters', 'a'.repeat(5000)],
    ['broken %-encoding', '%E0%A4%A'],
    ['lone %', '%'],
    ['NUL', '%00'],
    ['lone surrogate (CESU)', '%ED%A0%80'],
    ['overlong UTF-8', '%C0%AF'],
    ['encoded traversal', '..%2F..%2Fhealth%2Flive'],
    ['uuid with NUL', '00000000-0000-4000-8000-000000000000%00'],
    ['uuid too long', '00000000-0000-4000-8000-0000000000001'],
  ),
  fc.string({ minLength: 1, maxLength: 60 }).map((s): [string, string] => ['random string', encodeAll(s)]),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b): [string, string] => ['random bytes', percentBytes(b)]),
  fc.uuid().map((u): [string, string] => ['unknown uuid', u]),
);

/** Bad query values for one parameter: [label, raw encoded value, must the API reject it]. */
function badQueryValues(schema: Json): fc.Arbitrary<[string, string, boolean]> {
  const common = fc.oneof(
    fc.constant<[string, string, boolean]>(['NUL', 'a%00b', true]),
    fc.constant<[string, string, boolean]>(['huge (10k)', 'q'.repeat(10_000), true]),
    fc.constant<[string, string, boolean]>(['broken %-encoding', '%E0%A4%A', false]),
    // A lone surrogate cannot be UTF-8: the query decoder turns it into U+FFFD, a legal character.
    fc.constant<[string, string, boolean]>(['lone surrogate (CESU)', '%ED%A0%80', false]),
  );
  if (schema.type === 'integer' || schema.type === 'number') {
    return fc.oneof(
      common,
      fc.constantFrom('abc', '1.5', '-1', '0', '101', '1e309', 'NaN', '0x10', '', ' 5', 'Infinity', '99999999999999999999').map(
        (v): [string, string, boolean] => [`bad integer ${JSON.stringify(v)}`, encodeAll(v), true],
      ),
    );
  }
  if (schema.pattern) {
    // A cursor that decodes to a well-formed key whose string holds NUL reaches SQL as a parameter.
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    return fc.oneof(
      common,
      fc.string({ minLength: 1, maxLength: 40 }).map((s): [string, string, boolean] => ['random cursor', encodeAll(s), true]),
      fc.uuid().map((u): [string, string, boolean] => ['cursor key with NUL', cursor(['a\u0000b', u]), true]),
      fc.constant<[string, string, boolean]>(['cursor key of wrong types', cursor([1, 2]), true]),
    );
  }
  return common;
}

// ---- requests per operation -------------------------------------------------------------------

export interface FuzzContext {
  /** A valid body for the operation, the base the body mutations start from. */
  validBody(operation: FuzzOperation): Json;
}

export function fuzzRequests(operations: FuzzOperation[], context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  // Operations with more inputs get more of the runs: a body has many more ways to be wrong.
  const weight = (op: FuzzOperation) => (op.body ? 4 : 0) + (op.pathParams.length ? 2 : 0) + (op.query.length ? 2 : 0) + 1;
  return fc.oneof(...operations.map((op) => ({ arbitrary: requestsFor(op, context), weight: weight(op) })));
}

function requestsFor(op: FuzzOperation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const pathWith = (id: string) => op.path.replace(/\{(\w+)\}/g, () => id);
  const okPath = pathWith('{{id}}');
  const base = { operation: op.id, method: op.method };
  const json = (body: string) => ({ contentType: 'application/json', body });
  const validBody = op.body ? context.validBody(op) : undefined;
  const families: Array<fc.Arbitrary<FuzzRequest>> = [];

  if (op.pathParams.length) {
    families.push(badIds.map(([label, id]) => ({ ...base, kind: `path id: ${label}`, target: pathWith(id), ...(validBody ? json(JSON.stringify(validBody)) : {}), mustReject: true })));
  }

  if (op.query.length) {
    families.push(
      fc.constantFrom(...op.query).chain((param) =>
        fc.oneof(
          badQueryValues(param.schema).map(([label, value, reject]) => ({ ...base, kind: `query ${param.name}: ${label}`, target: `${okPath}?${param.name}=${value}`, mustReject: reject })),
          fc.constant({ ...base, kind: `query ${param.name}: repeated`, target: `${okPath}?${param.name}=1&${param.name}=2`, mustReject: true }),
        ),
      ),
      fc.constant({ ...base, kind: 'query: unknown parameter', target: `${okPath}?tenant=other`, mustReject: true }),
    );
  } else {
    // Operations without query parameters ignore a query string; it must still never break them.
    families.push(
      fc.constantFrom('a=%00', 'x=' + 'q'.repeat(5000), 'a=%E0%A4%A', '%ED%A0%80=1', 'a[b][c]=1', 'a=1&a=2').map((q) => ({
        ...base,
        kind: `stray query ${q.slice(0, 20)}`,
        target: `${okPath}?${q}`,
        mustReject: false,
      })),
    );
  }

  if (op.body && validBody) {
    const fields = Object.keys(op.body.properties);
    const withField = (field: string, rawValue: string) => {
      const entries = Object.entries(validBody).filter(([k]) => k !== field).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
      return `{${[...entries, `${JSON.stringify(field)}:${rawValue}`].join(',')}}`;
    };
    families.push(
      fc.constantFrom(...fields).chain((field) =>
        fc.oneof(
          badStrings(op.body!.properties[field].maxLength).map(([label, value]) => ({ ...base, kind: `body.${field}: ${label}`, target: okPath, ...json(withField(field, JSON.stringify(value))), mustReject: true })),
          wrongTypes.map(([label, raw]) => ({ ...base, kind: `body.${field}: ${label}`, target: okPath, ...json(withField(field, raw)), mustReject: true })),
        ),
      ),
      fc
        .tuple(fc.constantFrom('role', 'organizationId', 'isAdmin', 'constructor', '__proto__', 'id'), fc.jsonValue({ maxDepth: 2 }))
        .map(([field, value]) => ({ ...base, kind: `body: unknown field ${field}`, target: okPath, ...json(withField(field, JSON.stringify(value ?? 1))), mustReject: true })),
      fc.constantFrom<[string, string]>(
        ['array', '[1,2]'],
        ['string', '"name"'],
        ['number', '42'],
        ['boolean', 'true'],
        ...DEEP.map((depth): [string, string] => [`deep nesting (${depth} levels)`, `{"a":${deepJson(depth)}}`]),
        ...DEEP.map((depth): [string, string] => [`deep array (${depth} levels)`, deepJson(depth)]),
        ['huge array (60k items)', `[${Array(60_000).fill('"x"').join(',')}]`],
        ['truncated JSON', '{"name": '],
        ['empty', ''],
        ['trailing garbage', '{"name":"a"}x'],
      ).map(([label, raw]) => ({ ...base, kind: `body: ${label}`, target: okPath, ...json(raw), mustReject: true })),
      fc.constantFrom(
        'application/x-www-form-urlencoded',
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/jsonx',
      ).map((contentType) => ({
        ...base,
        kind: `body as ${contentType.split(';')[0]}`,
        target: okPath,
        contentType,
        body: contentType.includes('urlencoded') ? new URLSearchParams(validBody as Record<string, string>).toString() : JSON.stringify(validBody),
        mustReject: true,
      })),
    );
    if (op.body.required.length) {
      families.push(
        fc.constantFrom(...op.body.required).map((field) => {
          const { [field]: _dropped, ...rest } = validBody;
          return { ...base, kind: `body: missing ${field}`, target: okPath, ...json(JSON.stringify(rest)), mustReject: true };
        }),
      );
    }
  } else {
    // No body expected: junk bodies are ignored (GET) or parsed and discarded (POST/DELETE): never a 5xx.
    families.push(
      fc.constantFrom<[string, string, string]>(
        ...DEEP.map((depth): [string, string, string] => [`deep nesting (${depth} levels)`, 'application/json', deepJson(depth)]),
        ['NUL field', 'application/json', '{"a":"\\u0000"}'],
        ['truncated JSON', 'application/json', '{"a": '],
        ['huge body (300k)', 'application/json', `"${'z'.repeat(300_000)}"`],
        ['form body', 'application/x-www-form-urlencoded', 'a=1'],
        ['xml body', 'application/xml', '<a/>'],
      ).map(([label, contentType, body]) => ({ ...base, kind: `stray body: ${label}`, target: okPath, contentType, body, mustReject: false })),
    );
  }
  return fc.oneof(...families);
}
