/** Small inline SVG icons (no icon fonts: the app runs offline). */
const common = { width: 16, height: 16, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 2, strokeLinecap: "round" as const, strokeLinejoin: "round" as const, "aria-hidden": true };

export const LogoIcon = () => (
  <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
    <rect x="1" y="1" width="30" height="30" rx="8" fill="url(#cutroom-g)" />
    <path d="M11 10.5v11l9.5-5.5z" fill="#fff" />
    <defs>
      <linearGradient id="cutroom-g" x1="0" y1="0" x2="32" y2="32">
        <stop offset="0" stopColor="#8b7bff" />
        <stop offset="1" stopColor="#ff5fa2" />
      </linearGradient>
    </defs>
  </svg>
);
export const UploadIcon = ({ size = 16 }: { size?: number }) => (
  <svg {...common} width={size} height={size}><path d="M12 16V4M7 9l5-5 5 5M4 20h16" /></svg>
);
export const PlusIcon = () => <svg {...common}><path d="M12 5v14M5 12h14" /></svg>;
export const UpIcon = () => <svg {...common}><path d="M6 15l6-6 6 6" /></svg>;
export const DownIcon = () => <svg {...common}><path d="M6 9l6 6 6-6" /></svg>;
export const TrashIcon = () => <svg {...common}><path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" /></svg>;
export const GripIcon = () => (
  <svg {...common} strokeWidth={3}><path d="M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01" /></svg>
);
export const FilmIcon = ({ size = 16 }: { size?: number }) => (
  <svg {...common} width={size} height={size}><rect x="3" y="4" width="18" height="16" rx="2" /><path d="M7 4v16M17 4v16M3 9h4M3 15h4M17 9h4M17 15h4" /></svg>
);
export const MusicIcon = ({ size = 16 }: { size?: number }) => (
  <svg {...common} width={size} height={size}><path d="M9 18V5l12-2v13" /><circle cx="6" cy="18" r="3" /><circle cx="18" cy="16" r="3" /></svg>
);
export const TextIcon = ({ size = 16 }: { size?: number }) => (
  <svg {...common} width={size} height={size}><path d="M5 6V4h14v2M12 4v16M9 20h6" /></svg>
);
export const ImageIcon = ({ size = 16 }: { size?: number }) => (
  <svg {...common} width={size} height={size}><rect x="3" y="3" width="18" height="18" rx="2" /><circle cx="8.5" cy="8.5" r="1.5" /><path d="M21 15l-5-5L5 21" /></svg>
);
export const FolderIcon = () => <svg {...common}><path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" /></svg>;
export const RenderIcon = () => <svg {...common}><path d="M5 3l14 9-14 9z" /></svg>;
export const DownloadIcon = () => <svg {...common}><path d="M12 4v12M7 11l5 5 5-5M4 20h16" /></svg>;
export const KeyIcon = () => <svg {...common}><circle cx="7.5" cy="15.5" r="4.5" /><path d="M10.7 12.3L21 2M16 7l3 3M18 5l2 2" /></svg>;
export const UsersIcon = () => <svg {...common}><circle cx="9" cy="8" r="4" /><path d="M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1M16 3.5a4 4 0 0 1 0 8M22 21v-1a6 6 0 0 0-4-5.6" /></svg>;
export const ChevronDownIcon = () => <svg {...common} width={14} height={14}><path d="M6 9l6 6 6-6" /></svg>;
