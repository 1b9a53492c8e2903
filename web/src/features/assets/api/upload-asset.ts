import { API_BASE, ApiError, errorFromResponse, reportUnauthorized } from "../../../lib/api-client";
import type { Asset } from "../../../types/api";

export interface UploadHandle {
  promise: Promise<Asset>;
  abort: () => void;
}

/**
 * POST /projects/{id}/assets as multipart/form-data with a `file` field.
 * XMLHttpRequest rather than fetch because only XHR reports upload progress.
 */
export function uploadAsset(projectId: string, file: File, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const path = `/projects/${encodeURIComponent(projectId)}/assets`;
  const promise = new Promise<Asset>((resolve, reject) => {
    xhr.open("POST", API_BASE + path);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          const envelope = JSON.parse(xhr.responseText) as { data: Asset };
          resolve(envelope.data);
        } catch {
          reject(new ApiError(xhr.status, "BAD_RESPONSE", "The server answered with something that is not JSON."));
        }
        return;
      }
      if (xhr.status === 401) reportUnauthorized(path);
      reject(errorFromResponse(xhr.status, xhr.responseText, xhr.statusText));
    };
    // A server that refuses a large body early (413) may reset the connection before answering.
    xhr.onerror = () => reject(new ApiError(0, "NETWORK_ERROR", "The upload was interrupted (the server closed the connection)."));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", "Upload cancelled."));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
