import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { ErrorList } from "../../../components/error-list";
import { PlusIcon } from "../../../components/icons";
import { ApiError, errorMessage } from "../../../lib/api-client";
import { notify } from "../../../stores/notifications-store";
import type { Asset, ApiErrorDetail } from "../../../types/api";
import { getAsset } from "../../assets/api/assets";
import type { FrameOf } from "../../templates/components/frame-of";
import { createMix, getMix, planVariants, renderVariants, updateMix, type MixPlan } from "../api/mixes";
import { describePointer, emptyForm, formOfMix, mixReducer, newClip, newGroup, problemsByField, shuffleSeed, toBody, type MixForm } from "../lib/mix-form";
import "../mixes.css";
import { GroupColumn } from "./group-column";
import { MixLibrary } from "./mix-library";
import { MixSettings } from "./mix-settings";
import { VariantGrid } from "./variant-grid";
import { VariantsBox } from "./variants-box";

interface MixEditorProps {
  /** A saved mix's id, or "new". */
  id: string;
  frameOf: FrameOf;
  /** The mix was saved for the first time under this id. */
  onCreated: (id: string) => void;
  onRendered: (batchId: string) => void;
  onBack: () => void;
}

interface Problems {
  title: string;
  sent: MixForm;
  details: ApiErrorDetail[];
}

const bodyKey = (form: MixForm) => JSON.stringify(toBody(form, true));

/** `#/mixes/{id}`: groups as columns fed from the library, rules, text, output; plan the variants, then render them. */
export function MixEditor({ id, frameOf, onCreated, onRendered, onBack }: MixEditorProps) {
  const [form, dispatch] = useReducer(mixReducer, undefined, emptyForm);
  const [mixId, setMixId] = useState<string | null>(id === "new" ? null : id);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(id === "new");
  // What the server has (a new mix: the untouched form, so leaving it asks nothing).
  const [saved, setSaved] = useState<string | null>(() => (id === "new" ? bodyKey(form) : null));
  const [combinations, setCombinations] = useState<number | null>(null);
  const [problems, setProblems] = useState<Problems | null>(null);
  const [seed, setSeed] = useState(() => shuffleSeed(-1));
  const [plan, setPlan] = useState<{ plan: MixPlan; key: string } | null>(null);
  const [busy, setBusy] = useState<"saving" | "planning" | "rendering" | null>(null);
  const [assets, setAssets] = useState<Record<string, Asset>>({});
  const asked = useRef(new Set<string>());
  const current = useRef(form);
  current.current = form;

  // A different saved mix (not the one this page just created) is loaded.
  useEffect(() => {
    if (id === "new" || id === mixId && loaded) return;
    let live = true;
    getMix(id).then(
      (mix) => {
        if (!live) return;
        const loadedForm = formOfMix(mix);
        dispatch({ type: "load", form: loadedForm });
        setMixId(mix.id);
        setSaved(bodyKey(loadedForm));
        setCombinations(mix.combinations ?? null);
        setLoaded(true);
      },
      (e) => live && setLoadError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps

  const addAssets = useCallback((list: Asset[]) => {
    setAssets((known) => (list.every((a) => known[a.id] === a) ? known : { ...known, ...Object.fromEntries(list.map((a) => [a.id, a])) }));
  }, []);

  // Names and durations of clips from other projects than the library shows.
  useEffect(() => {
    for (const g of form.groups)
      for (const c of g.clips) {
        if (assets[c.assetId] || asked.current.has(c.assetId)) continue;
        asked.current.add(c.assetId);
        getAsset(c.assetId).then((a) => addAssets([a]), () => undefined);
      }
  }, [form.groups, assets, addAssets]);

  const key = useMemo(() => bodyKey(form), [form]);
  const dirty = key !== saved;
  // Closing or reloading the tab with unsaved edits asks first (moving within the app keeps nothing either, but is deliberate).
  useEffect(() => {
    if (!dirty || !loaded) return undefined;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty, loaded]);
  const byField = useMemo(() => (problems ? problemsByField(problems.sent, problems.details) : {}), [problems]);

  function refused(title: string, error: unknown, sent: MixForm) {
    if (error instanceof ApiError && error.details.length > 0) setProblems({ title: `${title}: ${error.message}`, sent, details: error.details });
    else {
      setProblems(null);
      notify(`${title}: ${errorMessage(error)}`, "error");
    }
  }

  /** Saves when there is something to save; the saved mix's id, or null when refused. */
  async function save(): Promise<string | null> {
    const sent = current.current;
    const sentKey = bodyKey(sent);
    if (mixId && sentKey === saved) return mixId;
    setBusy("saving");
    try {
      const mix = mixId ? await updateMix(mixId, toBody(sent, true)) : await createMix(toBody(sent, false));
      setSaved(sentKey);
      setCombinations(mix.combinations ?? null);
      setProblems(null);
      if (!mixId) {
        setMixId(mix.id);
        onCreated(mix.id);
      }
      return mix.id;
    } catch (error) {
      refused("Not saved", error, sent);
      return null;
    } finally {
      setBusy(null);
    }
  }

  const planning = useRef<AbortController | null>(null);
  async function makePlan(withSeed = seed) {
    const saving = await save();
    if (!saving) return;
    planning.current?.abort();
    const controller = new AbortController();
    planning.current = controller;
    const sentKey = bodyKey(current.current);
    setBusy("planning");
    try {
      const next = await planVariants(saving, withSeed, controller.signal);
      setPlan({ plan: next, key: sentKey });
      setCombinations(next.combinations);
      setProblems(null);
    } catch (error) {
      if (!controller.signal.aborted) refused("Could not plan", error, current.current);
    } finally {
      if (planning.current === controller) setBusy(null);
    }
  }

  // Once a plan is shown, a new seed or count plans again (after a pause in typing).
  const countKey = JSON.stringify(form.count);
  const planShown = plan !== null;
  useEffect(() => {
    if (!planShown) return undefined;
    const timer = window.setTimeout(() => void makePlan(seed), 500);
    return () => window.clearTimeout(timer);
  }, [seed, countKey]); // eslint-disable-line react-hooks/exhaustive-deps

  async function render() {
    const target = mixId;
    if (!target || !plan) return;
    setBusy("rendering");
    try {
      const batch = await renderVariants(target, plan.plan.seed);
      notify(`Queued ${batch.total} variant${batch.total === 1 ? "" : "s"}.`, "success");
      onRendered(batch.id);
    } catch (error) {
      refused("Could not render", error, current.current);
    } finally {
      setBusy(null);
    }
  }

  if (loadError) return <div className="page"><p className="alert alert--error" role="alert">Could not open the mix: {loadError}</p></div>;
  if (!loaded) return <div className="page" aria-busy="true" />;

  const stale = plan !== null && plan.key !== key;
  const groupNames = form.groups.map((g) => g.name);

  return (
    <div
      className="mixer"
      data-testid="mix-editor"
      data-mix-id={mixId ?? ""}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
          e.preventDefault();
          void save();
        }
      }}
    >
      <div className="mixer__head">
        <button type="button" className="link-button" onClick={onBack}>← Mixes</button>
        <input className="input mixer__name" value={form.name} onChange={(e) => dispatch({ type: "name", name: e.target.value })} aria-label="Mix name" data-testid="mix-name" />
        <span className="muted mixer__state" data-testid="mix-save-state" data-status={dirty ? "dirty" : "saved"} aria-live="polite">
          {busy === "saving" ? "Saving…" : dirty ? "Unsaved changes" : mixId ? "Saved" : "Not saved yet"}
        </span>
        <button type="button" className="button button--secondary" disabled={busy !== null || (!dirty && mixId !== null)} onClick={() => void save()} data-testid="mix-save">Save</button>
      </div>
      {problems && (
        <ErrorList title={problems.title} details={problems.details} describePath={(p) => describePointer(problems.sent, p)} testId="mix-problems" />
      )}
      <div className="mixer__body">
        <MixLibrary groups={form.groups} onAssets={addAssets} onAdd={(group, asset) => dispatch({ type: "addClip", group, clip: newClip(asset.id) })} />
        <div className="mixer__main">
          <div className="mix-columns" data-testid="mix-columns">
            {form.groups.map((g, i) => (
              <GroupColumn
                key={g.key}
                group={g}
                index={i}
                groupCount={form.groups.length}
                neighbours={[form.groups[i - 1]?.key ?? null, form.groups[i + 1]?.key ?? null]}
                assets={assets}
                problems={byField}
                dispatch={dispatch}
                onDropAsset={(group, asset, at) => {
                  if (asset.kind !== "video" || !asset.hasVideo) {
                    notify(`“${asset.name}” is not a video: a mix's clips are videos.`, "error");
                    return;
                  }
                  addAssets([asset]);
                  dispatch({ type: "addClip", group, clip: newClip(asset.id), at });
                }}
              />
            ))}
            <button type="button" className="mix-columns__add" disabled={form.groups.length >= 20} onClick={() => dispatch({ type: "addGroup", group: newGroup(form.groups) })} data-testid="group-add">
              <PlusIcon /> Add group
            </button>
          </div>
          <div className="mixer__settings">
            <MixSettings form={form} problems={byField} dispatch={dispatch} />
            <VariantsBox
              count={form.count}
              seed={seed}
              combinations={combinations}
              problems={byField}
              busy={busy}
              renderable={plan && !stale ? plan.plan.count : null}
              dispatch={dispatch}
              onSeed={setSeed}
              onShuffle={() => setSeed((s) => shuffleSeed(s))}
              onPlan={() => void makePlan()}
              onRender={() => void render()}
            />
          </div>
        </div>
      </div>
      {plan ? (
        <VariantGrid plan={plan.plan} groupNames={groupNames} frameOf={frameOf} stale={stale} />
      ) : (
        <p className="muted mixer__hint" data-testid="plan-empty">Put clips into the groups, then choose “Plan” to see the variants with their first frames.</p>
      )}
    </div>
  );
}
