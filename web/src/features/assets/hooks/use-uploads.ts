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

let nextUploadId = 1;

/** Uploads files one request each, in parallel; a failed file never affects the others. */
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
    (files: File[]) => {
      for (const file of files) {
        const id = nextUploadId++;
        setUploads((list) => [...list, { id, fileName: file.name, size: file.size, loaded: 0, status: "uploading", error: null, errorStatus: null }]);
        const handle = uploadAsset(projectId, file, (loaded, total) => {
          // Once every byte is sent the server still probes the file: show that as its own state.
          update(id, { loaded, status: loaded >= total ? "processing" : "uploading" });
        });
        aborters.current.set(id, handle.abort);
        handle.promise
          .then((asset) => {
            update(id, { loaded: file.size, status: "done" });
            onUploaded(asset);
            window.setTimeout(() => setUploads((list) => list.filter((u) => u.id !== id)), 2500);
          })
          .catch((err: unknown) => {
            if (err instanceof ApiError && err.code === "ABORTED") {
              setUploads((list) => list.filter((u) => u.id !== id));
              return;
            }
            update(id, { status: "error", error: errorMessage(err), errorStatus: err instanceof ApiError ? err.status : null });
          })
          .finally(() => aborters.current.delete(id));
      }
    },
    [projectId, onUploaded],
  );

  const dismiss = useCallback((id: number) => setUploads((list) => list.filter((u) => u.id !== id)), []);
  const cancel = useCallback((id: number) => aborters.current.get(id)?.(), []);

  return { uploads, upload, dismiss, cancel };
}
