import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import type { Asset } from "../../../types/api";
import { uploadAsset } from "../api/upload-asset";

export interface UploadItem {
  id: number;
  fileName: string;
  size: number;
  loaded: number;
  status: "uploading" | "processing" | "done" | "error";
  error: string | null;
  /** HTTP status of a refused upload (413, 415, …), 0 for network failures. */
  errorStatus: number | null;
}

/** How one file's upload ended: the probed asset, or the server's (or network's) reason. */
export type UploadOutcome = { asset: Asset } | { error: string };

/** One file handed to `upload`: its row id and a promise of how it ended (never rejects). */
export interface UploadTicket {
  id: number;
  fileName: string;
  done: Promise<UploadOutcome>;
}

let nextUploadId = 1;

/** Uploads files one request each, in parallel; a failed file never affects the others. Shared by the library and timeline drops. */
export function useUploads(projectId: string, onUploaded: (asset: Asset) => void) {
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const aborters = useRef(new Map<number, () => void>());

  useEffect(() => {
    const pending = aborters.current;
    return () => pending.forEach((abort) => abort());
  }, [projectId]);

  const update = (id: number, patch: Partial<UploadItem>) =>
    setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...patch } : u)));

  const upload = useCallback(
    (files: File[]): UploadTicket[] =>
      files.map((file) => {
        const id = nextUploadId++;
        setUploads((list) => [...list, { id, fileName: file.name, size: file.size, loaded: 0, status: "uploading", error: null, errorStatus: null }]);
        const handle = uploadAsset(projectId, file, (loaded, total) => {
          // Once every byte is sent the server still probes the file: show that as its own state.
          update(id, { loaded, status: loaded >= total ? "processing" : "uploading" });
        });
        aborters.current.set(id, handle.abort);
        const done = handle.promise
          .then((asset): UploadOutcome => {
            update(id, { loaded: file.size, status: "done" });
            onUploaded(asset);
            window.setTimeout(() => setUploads((list) => list.filter((u) => u.id !== id)), 2500);
            return { asset };
          })
          .catch((err: unknown): UploadOutcome => {
            if (err instanceof ApiError && err.code === "ABORTED") {
              setUploads((list) => list.filter((u) => u.id !== id));
              return { error: `${file.name}: upload cancelled.` };
            }
            update(id, { status: "error", error: errorMessage(err), errorStatus: err instanceof ApiError ? err.status : null });
            const reason = errorMessage(err);
            return { error: reason.includes(file.name) ? reason : `${file.name}: ${reason}` };
          })
          .finally(() => aborters.current.delete(id));
        return { id, fileName: file.name, done };
      }),
    [projectId, onUploaded],
  );

  const dismiss = useCallback((id: number) => setUploads((list) => list.filter((u) => u.id !== id)), []);
  const cancel = useCallback((id: number) => aborters.current.get(id)?.(), []);

  return { uploads, upload, dismiss, cancel };
}

export type Uploader = ReturnType<typeof useUploads>;
