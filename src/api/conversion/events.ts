// events.k8s.io/v1 <-> core/v1 Event: the same objects under other field names
// (regarding/involvedObject, note/message, reportingController/source.component, ...).
type Obj = Record<string, unknown>;

function rec(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function setIf(o: Obj, k: string, v: unknown): void {
  if (v !== undefined && v !== null && v !== '') o[k] = v;
}

export function eventsToCore(e: Obj): Obj {
  const out: Obj = { metadata: e.metadata };
  setIf(out, 'involvedObject', e.regarding ?? {});
  if (out.involvedObject === undefined) out.involvedObject = {};
  setIf(out, 'related', e.related);
  setIf(out, 'reason', e.reason);
  setIf(out, 'message', e.note);
  setIf(out, 'type', e.type);
  setIf(out, 'action', e.action);
  setIf(out, 'eventTime', e.eventTime);
  setIf(out, 'reportingComponent', e.reportingController);
  setIf(out, 'reportingInstance', e.reportingInstance);
  const src = rec(e.deprecatedSource);
  if (Object.keys(src).length) out.source = src;
  else out.source = {};
  setIf(out, 'firstTimestamp', e.deprecatedFirstTimestamp);
  setIf(out, 'lastTimestamp', e.deprecatedLastTimestamp);
  const series = rec(e.series);
  if (Object.keys(series).length) out.series = { count: series.count, lastObservedTime: series.lastObservedTime };
  const count = e.deprecatedCount;
  if (typeof count === 'number') out.count = count;
  return out;
}

export function eventsFromCore(e: Readonly<Obj>): Obj {
  const out: Obj = { metadata: e.metadata };
  setIf(out, 'eventTime', e.eventTime ?? null);
  if (out.eventTime === undefined) out.eventTime = null;
  const series = rec(e.series);
  if (Object.keys(series).length) out.series = { count: series.count, lastObservedTime: series.lastObservedTime };
  setIf(out, 'reportingController', e.reportingComponent);
  setIf(out, 'reportingInstance', e.reportingInstance);
  setIf(out, 'action', e.action);
  setIf(out, 'reason', e.reason);
  setIf(out, 'regarding', e.involvedObject);
  setIf(out, 'related', e.related);
  setIf(out, 'note', e.message);
  setIf(out, 'type', e.type);
  const src = rec(e.source);
  if (Object.keys(src).length) out.deprecatedSource = src;
  setIf(out, 'deprecatedFirstTimestamp', e.firstTimestamp);
  setIf(out, 'deprecatedLastTimestamp', e.lastTimestamp);
  if (typeof e.count === 'number' && e.count) out.deprecatedCount = e.count;
  return out;
}
