import { useRef, useState, type DragEvent } from "react";
import { UploadIcon } from "../../../components/icons";

interface UploadDropzoneProps {
  onFiles: (files: File[]) => void;
  compact?: boolean;
}

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes("Files");
}

/** Drop files here or pick them with the button; the file input stays in the DOM for keyboard and tests. */
export function UploadDropzone({ onFiles, compact = false }: UploadDropzoneProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  function handleDrop(event: DragEvent<HTMLDivElement>) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length) onFiles(files);
  }

  return (
    <div
      className={`dropzone ${dragging ? "dropzone--active" : ""} ${compact ? "dropzone--compact" : ""}`}
      data-testid="upload-dropzone"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={handleDrop}
    >
      <span className="dropzone__icon" aria-hidden="true"><UploadIcon size={compact ? 18 : 28} /></span>
      <div className="dropzone__text">
        <p className="dropzone__title">{dragging ? "Drop to upload" : "Drag video, audio, images, captions or fonts here"}</p>
        {!compact && <p className="muted">Each file uploads on its own; you can keep working meanwhile.</p>}
      </div>
      <label htmlFor="upload-input" className="visually-hidden">Upload media files</label>
      <input
        ref={inputRef}
        id="upload-input"
        type="file"
        multiple
        className="visually-hidden"
        tabIndex={-1}
        data-testid="upload-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = "";
          if (files.length) onFiles(files);
        }}
      />
      <button type="button" className="button button--primary" onClick={() => inputRef.current?.click()} data-testid="upload-button">
        <UploadIcon /> Choose files
      </button>
    </div>
  );
}
