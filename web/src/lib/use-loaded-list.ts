import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "./api-client";

/** A list fetched when the page opens, with its loading state and a reload; pages edit it in place. */
export function useLoadedList<T>(fetch: () => Promise<T[]>) {
  const [items, setItems] = useState<T[]>([]);
  const [status, setStatus] = useState<"loading" | "ready" | "error">("loading");
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems(await fetch());
      setStatus("ready");
      setLoadError(null);
    } catch (err) {
      setStatus("error");
      setLoadError(errorMessage(err));
    }
  }, [fetch]);

  useEffect(() => {
    void load();
  }, [load]);

  return { items, setItems, status, loadError, load };
}
