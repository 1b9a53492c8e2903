import { useEffect, useState } from "react";
import type { ApiErrorDetail } from "../../../types/api";
import type { TimelineDocument } from "../../../types/timeline";
import { validateTimeline } from "../api/timelines";
import { clipIdForPointer } from "../engine/model";

export interface ValidationResult {
  /** Problems keyed by the clip they belong to. */
  byClip: ReadonlyMap<string, string[]>;
  /** Problems that belong to no clip (output settings, tracks). */
  general: ApiErrorDetail[];
  count: number;
}

const EMPTY: ValidationResult = { byClip: new Map(), general: [], count: 0 };

/** Asks POST /timelines/validate about the document after each pause in editing; stale answers are dropped. */
export function useValidation(doc: TimelineDocument, enabled: boolean): ValidationResult {
  const [result, setResult] = useState<ValidationResult>(EMPTY);
  useEffect(() => {
    // An empty timeline is "invalid" to the server, but to a person it is just new.
    if (!enabled || doc.tracks.every((t) => t.clips.length === 0)) {
      setResult(EMPTY);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(async () => {
      try {
        const details = await validateTimeline(doc, controller.signal);
        const byClip = new Map<string, string[]>();
        const general: ApiErrorDetail[] = [];
        for (const d of details) {
          const clipId = d.path ? clipIdForPointer(doc, d.path) : null;
          if (clipId) byClip.set(clipId, [...(byClip.get(clipId) ?? []), d.message]);
          else general.push(d);
        }
        if (!controller.signal.aborted) setResult({ byClip, general, count: details.length });
      } catch {
        // Offline or aborted: keep the last answer rather than flashing errors.
      }
    }, 350);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [doc, enabled]);
  return result;
}
