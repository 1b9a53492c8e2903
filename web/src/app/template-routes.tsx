import { useEffect, useState } from "react";
import { listAssets } from "../features/assets/api/assets";
import { getBatch, type Batch } from "../features/batches/api/batches";
import { getMix, type Mix } from "../features/mixes/api/mixes";
import { BatchPage } from "../features/batches/components/batch-page";
import { BatchUpload } from "../features/batches/components/batch-upload";
import { getTemplate, type Template } from "../features/templates/api/templates";
import type { FrameOf } from "../features/templates/components/frame-of";
import { TemplateGallery } from "../features/templates/components/template-gallery";
import { TemplatePage } from "../features/templates/components/template-page";
import { renderFrame } from "../features/timeline/api/timelines";
import { errorMessage } from "../lib/api-client";
import { navigate } from "../stores/route-store";
import type { Asset } from "../types/api";

// The columns a mix's batch can name its archive files by (MixVariantsController).
const MIX_COLUMNS = ["variant", "clips"];

// Features meet here: templates show the timeline engine's frames and the project's assets; batches are of templates.
const frameOf: FrameOf = renderFrame;
const openTemplate = (id: string) => navigate({ name: "template", id });

export function TemplatesRoute() {
  return <TemplateGallery frameOf={frameOf} onOpen={openTemplate} />;
}

function useTemplate(id: string | null) {
  const [template, setTemplate] = useState<Template | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return undefined;
    let live = true;
    getTemplate(id).then((t) => live && setTemplate(t), (e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [id]);
  return { template, error };
}

/** `#/templates/{id}`: the form to render one, then the CSV batch. */
export function TemplateRoute({ id }: { id: string }) {
  const { template, error } = useTemplate(id);
  const [assets, setAssets] = useState<Asset[]>([]);
  useEffect(() => {
    if (template?.projectId) listAssets(template.projectId).then(setAssets, () => setAssets([]));
  }, [template?.projectId]);
  if (error) return <div className="page"><p className="alert alert--error" role="alert">Could not open the template: {error}</p></div>;
  if (!template) return <div className="page" aria-busy="true" />;
  return (
    <div className="page page--wide">
      <TemplatePage template={template} frameOf={frameOf} assets={assets} />
      <BatchUpload template={template} onQueued={(batchId) => navigate({ name: "batch", id: batchId })} />
    </div>
  );
}

/** `#/batches/{id}`: progress; the archive may name files by the template's fields, or a mix's `variant`/`clips`. */
export function BatchRoute({ id }: { id: string }) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const [mix, setMix] = useState<Mix | null>(null);
  useEffect(() => {
    getBatch(id).then(setBatch, () => undefined);
  }, [id]);
  useEffect(() => {
    if (batch?.mixId) getMix(batch.mixId).then(setMix, () => undefined);
  }, [batch?.mixId]);
  const { template } = useTemplate(batch?.templateId ?? null);
  const origin = template
    ? { label: `From “${template.name}”`, open: () => openTemplate(template.id) }
    : mix
      ? { label: `From the mix “${mix.name}”`, open: () => navigate({ name: "mix", id: mix.id }) }
      : undefined;
  return (
    <BatchPage
      id={id}
      columns={template?.fields.map((f) => f.name) ?? (batch?.mixId ? MIX_COLUMNS : [])}
      origin={origin}
    />
  );
}
