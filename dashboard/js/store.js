// What the sections share: the project list (GET /project, refreshed every few seconds
// while signed in, and after each change) and the project and token chosen in the
// context bar (kept in sessionStorage so a reload keeps them).
import { listProjects } from './api.js';

const PROJECT_KEY = 'wsd.project';
const TOKEN_KEY = 'wsd.token';
const REFRESH_MS = 3000;

const listeners = new Set();
const state = {
  projects: [],
  updatedAt: 0,
  project: sessionStorage.getItem(PROJECT_KEY) ?? '',
  token: sessionStorage.getItem(TOKEN_KEY) ?? '',
};
let timer;
let inFlight;

export const get = () => state;
export const subscribe = (fn) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};
const notify = () => {
  for (const fn of listeners) fn(state);
};

export const currentProject = () => state.projects.find((p) => p.key === state.project);

// Keeps the chosen project and token valid: the first project and its newest token when
// the chosen ones are gone.
function reconcile() {
  if (!state.projects.some((p) => p.key === state.project)) state.project = state.projects[0]?.key ?? '';
  const tokens = currentProject()?.tokens ?? [];
  if (!tokens.some((x) => x.token === state.token)) state.token = newest(tokens)?.token ?? '';
  sessionStorage.setItem(PROJECT_KEY, state.project);
  sessionStorage.setItem(TOKEN_KEY, state.token);
}

const newest = (tokens) => [...tokens].sort((a, b) => b.createdAt - a.createdAt)[0];

// Reads GET /project now (one request at a time); resolves with the state.
export function refresh() {
  inFlight ??= listProjects()
    .then((answer) => {
      state.projects = answer.projects;
      state.updatedAt = Date.now();
      reconcile();
      notify();
      return state;
    })
    .finally(() => {
      inFlight = undefined;
    });
  return inFlight;
}

export function choose({ project, token }) {
  if (project !== undefined && project !== state.project) {
    state.project = project;
    state.token = '';
  }
  if (token !== undefined) state.token = token;
  reconcile();
  notify();
}

export function start() {
  stop();
  timer = setInterval(() => {
    if (document.visibilityState === 'visible') refresh().catch(() => {});
  }, REFRESH_MS);
  return refresh();
}

export function stop() {
  clearInterval(timer);
  timer = undefined;
}

export function reset() {
  stop();
  state.projects = [];
  state.project = '';
  state.token = '';
  sessionStorage.removeItem(PROJECT_KEY);
  sessionStorage.removeItem(TOKEN_KEY);
}
