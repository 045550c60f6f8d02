// gl-state-shadow.js: answers WebGL2 state queries that would otherwise stall the page.
//
// ImGui's OpenGL3 renderer saves and restores the GL state around every frame it draws.
// In Chromium most of those queries are answered from the browser's own copy of the
// state, but gl.getParameter(SCISSOR_BOX) and the blend function and equation queries
// are sent to the GPU process and wait for it to finish all the work queued before them,
// that is the previous frame's drawing. With WebGL rendered in software (SwiftShader,
// the only kind on machines without a GPU) that wait was 16-19 ms of every 1280x800
// frame, spent doing nothing on the page's only thread.
//
// This file keeps those few values on the page's side: the first query of each is asked
// of the real context (so the initial values are the context's own), and every later
// call that sets one (scissor, blendFunc[Separate], blendEquation[Separate]) updates the
// copy after passing the call on. Calls with invalid arguments, which WebGL rejects, are
// not made by ImGui or the program; a lost and restored context starts a fresh copy.
// window.nnplayGlShadowCheck(gl) compares the copy with the real state (tests).
'use strict';

(function () {
  if (typeof WebGL2RenderingContext !== 'function') return;
  const P = WebGL2RenderingContext.prototype;
  const GL = WebGL2RenderingContext;
  const SHADOWED = [GL.SCISSOR_BOX, GL.BLEND_SRC_RGB, GL.BLEND_DST_RGB, GL.BLEND_SRC_ALPHA, GL.BLEND_DST_ALPHA,
                    GL.BLEND_EQUATION_RGB, GL.BLEND_EQUATION_ALPHA];
  const shadows = new WeakMap();  // context -> Map(pname -> value)
  const shadowOf = (gl) => {
    let s = shadows.get(gl);
    if (!s) {
      s = new Map();
      shadows.set(gl, s);
      gl.canvas.addEventListener('webglcontextrestored', () => s.clear());
    }
    return s;
  };
  const copy = (v) => (v instanceof Int32Array ? new Int32Array(v) : v);

  const getParameter = P.getParameter;
  P.getParameter = function (pname) {
    if (!SHADOWED.includes(pname)) return getParameter.call(this, pname);
    const s = shadowOf(this);
    if (!s.has(pname)) s.set(pname, copy(getParameter.call(this, pname)));
    return copy(s.get(pname));
  };

  // Wraps a setter: the real call first, then the copy is updated from its arguments.
  const track = (name, update) => {
    const real = P[name];
    P[name] = function (...args) {
      real.apply(this, args);
      update(shadowOf(this), ...args);
    };
  };
  track('scissor', (s, x, y, w, h) => s.set(GL.SCISSOR_BOX, new Int32Array([x, y, w, h])));
  track('blendFunc', (s, src, dst) => {
    s.set(GL.BLEND_SRC_RGB, src).set(GL.BLEND_SRC_ALPHA, src);
    s.set(GL.BLEND_DST_RGB, dst).set(GL.BLEND_DST_ALPHA, dst);
  });
  track('blendFuncSeparate', (s, srcRgb, dstRgb, srcAlpha, dstAlpha) => {
    s.set(GL.BLEND_SRC_RGB, srcRgb).set(GL.BLEND_DST_RGB, dstRgb);
    s.set(GL.BLEND_SRC_ALPHA, srcAlpha).set(GL.BLEND_DST_ALPHA, dstAlpha);
  });
  track('blendEquation', (s, mode) => s.set(GL.BLEND_EQUATION_RGB, mode).set(GL.BLEND_EQUATION_ALPHA, mode));
  track('blendEquationSeparate', (s, rgb, alpha) => s.set(GL.BLEND_EQUATION_RGB, rgb).set(GL.BLEND_EQUATION_ALPHA, alpha));

  // { kept: how many values have a copy, mismatches: those whose copy differs from the
  // context's real state }. The check itself asks the real context, so it stalls.
  window.nnplayGlShadowCheck = (gl) => {
    const s = shadowOf(gl);
    const out = [];
    for (const pname of SHADOWED) {
      if (!s.has(pname)) continue;
      const real = getParameter.call(gl, pname);
      const mine = s.get(pname);
      const same = real instanceof Int32Array ? real.length === mine.length && real.every((v, i) => v === mine[i])
                                              : real === mine;
      if (!same) out.push(`0x${pname.toString(16)}: shadow ${Array.from([mine].flat())} real ${Array.from([real].flat())}`);
    }
    return { kept: s.size, mismatches: out };
  };
})();
