// The widget's styles, inside its shadow root. `:host` resets everything with !important: in the cascade an
// important declaration of the shadow tree beats the host page's, so page rules such as
// `* { color: red !important }` cannot reach in; selectors of the page never match inside. Sizes are in px
// (rem would follow the page's root font size). Targets are at least 44 × 44 px.
export const CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483647!important;
right:16px!important;bottom:16px!important;left:auto!important;top:auto!important;margin:0!important;
visibility:visible!important;opacity:1!important}
*{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit}
.card{width:min(560px,calc(100vw - 32px));max-height:calc(100vh - 32px);overflow:auto;background:#fff;color:#1b1f24;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;border:1px solid #d0d7de;border-radius:12px;
box-shadow:0 8px 28px rgba(0,0,0,.18);padding:16px;text-align:left}
.card:focus{outline:none}
.head{display:flex;align-items:center;justify-content:space-between;gap:8px}
h2{font-size:15px;font-weight:600}
.step{font-size:13px;color:#57606a;margin-top:2px}
button,.opt span{min-width:44px;min-height:44px;border-radius:8px;cursor:pointer}
button{border:1px solid #d0d7de;background:#fff;font-size:15px;padding:0 16px}
.x{border:0;padding:0;font-size:24px;line-height:1;color:#57606a;background:transparent}
.x:hover{background:#f3f4f6}
fieldset{border:0;margin-top:12px;min-width:0}
legend,label.q{display:block;font-weight:600;margin-bottom:10px}
.scale{display:grid;grid-template-columns:repeat(auto-fit,minmax(44px,1fr));gap:4px}
.opts{display:grid;gap:6px}
.opt{position:relative;display:block}
.opt input{position:absolute;opacity:0;inset:0;width:100%;height:100%;margin:0;cursor:pointer}
.opt span{display:flex;align-items:center;justify-content:center;border:1px solid #8c959f;background:#fff;
padding:0 12px;text-align:center}
.opts .opt span{justify-content:flex-start;text-align:left}
.opt input:checked+span{background:#1f4fd1;border-color:#1f4fd1;color:#fff}
.opt:hover span{border-color:#1f4fd1}
.ends{display:flex;justify-content:space-between;gap:12px;font-size:13px;color:#57606a;margin-top:6px}
textarea{display:block;width:100%;min-height:88px;border:1px solid #8c959f;border-radius:8px;padding:10px;
font-size:15px;resize:vertical;background:#fff}
.err{color:#b42318;font-size:14px;margin-top:8px}
.err:empty,.step:empty{display:none}
.foot{display:flex;justify-content:flex-end;margin-top:12px}
.go{background:#1f4fd1;border-color:#1f4fd1;color:#fff;font-weight:600}
.go:disabled{opacity:.6;cursor:progress}
.done{margin-top:12px}
:focus-visible,.opt input:focus-visible+span{outline:3px solid #1f4fd1;outline-offset:2px}
.opt input:checked:focus-visible+span{outline-color:#0b2a7a}
@media (prefers-reduced-motion:no-preference){.card{animation:in .2s ease-out}}
@keyframes in{from{transform:translateY(12px);opacity:0}}
`;
