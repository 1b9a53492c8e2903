import { useEffect } from "react";
import { EmptyState } from "../components/empty-state";
import { LogoIcon, UsersIcon } from "../components/icons";
import { Toaster } from "../components/toaster";
import { AccountPage } from "../features/account/components/account-page";
import { ApiReferencePage } from "../features/api-docs/components/api-reference-page";
import { getMe, isSetupRequired, logout } from "../features/auth/api/auth";
import { InviteForm } from "../features/auth/components/invite-form";
import { SetupForm } from "../features/auth/components/setup-form";
import { SignInForm } from "../features/auth/components/sign-in-form";
import { ProjectDashboard } from "../features/projects/components/project-dashboard";
import { clearProjects, useProjects } from "../features/projects/hooks/use-projects";
import { TokensPage } from "../features/tokens/components/tokens-page";
import { UsersPage } from "../features/users/components/users-page";
import { ApiError, errorMessage, setUnauthorizedHandler } from "../lib/api-client";
import { useStore } from "../lib/create-store";
import { routeHash, type Route } from "../lib/hash-route";
import { notify } from "../stores/notifications-store";
import { navigate, routeStore, selectProject } from "../stores/route-store";
import { sessionStore, signedIn, signInRequired, updateSignedInUser } from "../stores/session-store";
import type { User } from "../types/api";
import { ProjectWorkspace } from "./project-workspace";
import { MixesRoute, MixRoute } from "./mix-routes";
import { BatchRoute, TemplateRoute, TemplatesRoute } from "./template-routes";
import { UserMenu } from "./user-menu";

/** Asks the server who is signed in: GET /me, and on 401 whether the first account is still to be made. */
async function startSession(): Promise<void> {
  sessionStore.set({ status: "loading" });
  try {
    signedIn(await getMe());
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      sessionStore.set({ status: "unreachable", message: errorMessage(error) });
      return;
    }
    try {
      if (await isSetupRequired()) sessionStore.set({ status: "setup" });
      else signInRequired();
    } catch (setupError) {
      sessionStore.set({ status: "unreachable", message: errorMessage(setupError) });
    }
  }
}

/** A (possibly different) user is now signed in in this tab: nothing of the previous one stays on screen. */
function switchTo(user: User): void {
  clearProjects();
  signedIn(user);
}

async function signOut(): Promise<void> {
  try {
    await logout();
  } catch (error) {
    // 401: the session was already gone, which is what signing out wants.
    if (!(error instanceof ApiError && error.status === 401)) {
      notify(`Could not sign out: ${errorMessage(error)}`, "error");
      return;
    }
  }
  clearProjects();
  signInRequired("You are signed out.");
  navigate({ name: "projects" }, { replace: true });
}

const pageTitles: Record<Route["name"], string> = { projects: "Projects", project: "Project", invite: "Invitation", account: "Account", tokens: "API tokens", users: "Users", api: "API reference", templates: "Templates", template: "Template", batch: "Batch", mixes: "Mixer", mix: "Mix" };

/** Who is signed in decides the screen: setup, sign-in, an invitation, or the app itself. */
export function App() {
  const session = useStore(sessionStore);
  const route = useStore(routeStore);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      // Only a session that ends while in use; start-up asks GET /me and expects its 401.
      if (sessionStore.get().status !== "signed-in") return;
      clearProjects();
      signInRequired("Your session has ended. Sign in again.");
    });
    void startSession();
    return () => setUnauthorizedHandler(null);
  }, []);

  useEffect(() => {
    document.title = `${pageTitles[route.name]} · Cutroom`;
  }, [route.name]);

  const leaveInvite = () => navigate({ name: "projects" }, { replace: true });

  // An invitation is shown whoever is signed in: it may be meant for someone else on this computer.
  if (route.name === "invite") {
    return (
      <InviteForm
        key={route.token}
        token={route.token}
        currentUser={session.status === "signed-in" ? session.user : null}
        onAccepted={(user) => {
          switchTo(user);
          leaveInvite();
        }}
        onLeave={leaveInvite}
      />
    );
  }

  switch (session.status) {
    case "loading":
      return <div className="sign-in" aria-busy="true" />;
    case "unreachable":
      return (
        <div className="sign-in">
          <div className="alert alert--error" role="alert">
            <p className="alert__title">Cannot reach the Cutroom server: {session.message}</p>
            <button type="button" className="button button--ghost button--small" onClick={() => void startSession()}>Retry</button>
          </div>
        </div>
      );
    case "setup":
      return <SetupForm onSignedIn={switchTo} onAlreadySetUp={() => signInRequired()} />;
    case "sign-in":
      return <SignInForm notice={session.notice} onSignedIn={switchTo} />;
    case "signed-in":
      return <SignedInApp key={session.user.id} user={session.user} route={route} />;
  }
}

const pageNames: Partial<Record<Route["name"], string>> = { account: "Account", tokens: "API tokens", users: "Users", api: "API reference", templates: "Templates", template: "Template", batch: "Batch", mixes: "Mixer", mix: "Mix" };

/** Header, then the projects dashboard, the open project's editor, or an account page. */
function SignedInApp({ user, route }: { user: User; route: Route }) {
  const { projects, status } = useProjects();
  const selectedId = route.name === "project" ? route.id : null;

  // Drop a remembered selection that no longer exists (deleted, or another user's).
  useEffect(() => {
    if (status === "ready" && selectedId && !projects.some((p) => p.id === selectedId)) navigate({ name: "projects" }, { replace: true });
  }, [status, selectedId, projects]);

  const project = projects.find((p) => p.id === selectedId) ?? null;
  const pageName = pageNames[route.name];

  let main;
  if (route.name === "account") main = <AccountPage user={user} onUserChanged={updateSignedInUser} />;
  else if (route.name === "tokens") main = <TokensPage />;
  else if (route.name === "api") main = <ApiReferencePage />;
  else if (route.name === "templates") main = <TemplatesRoute />;
  else if (route.name === "template") main = <TemplateRoute key={route.id} id={route.id} />;
  else if (route.name === "batch") main = <BatchRoute key={route.id} id={route.id} />;
  else if (route.name === "mixes") main = <MixesRoute />;
  // Not keyed by id: a new mix's first save changes the address, not the page.
  else if (route.name === "mix") main = <MixRoute id={route.id} />;
  else if (route.name === "users")
    main =
      user.role === "admin" ? (
        <UsersPage currentUser={user} />
      ) : (
        <div className="page">
          <EmptyState icon={<UsersIcon />} title="Only administrators manage users">Ask an administrator to invite people or change their accounts.</EmptyState>
        </div>
      );
  else if (project) main = <ProjectWorkspace key={project.id} project={project} />;
  else if (selectedId && status !== "ready") main = null;
  else main = <ProjectDashboard onOpen={selectProject} />;

  return (
    <div className="app">
      <header className="app-header">
        <a className="brand" href="#" onClick={(e) => { e.preventDefault(); selectProject(null); }} aria-label="Cutroom projects">
          <LogoIcon />
          <span className="brand__name">Cutroom</span>
        </a>
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <span className="breadcrumb__sep" aria-hidden="true">/</span>
          {project || pageName ? (
            <>
              <button type="button" className="breadcrumb__link" onClick={() => selectProject(null)} data-testid="back-to-projects">Projects</button>
              <span className="breadcrumb__sep" aria-hidden="true">/</span>
              {project ? (
                <span className="breadcrumb__current" data-testid="project-title">{project.name}</span>
              ) : (
                <span className="breadcrumb__current" aria-current="page">{pageName}</span>
              )}
            </>
          ) : (
            <span className="breadcrumb__current">Projects</span>
          )}
        </nav>
        <span className="app-header__spacer" />
        <a
          className="header-link"
          href={routeHash({ name: "templates" })}
          aria-current={route.name === "templates" ? "page" : undefined}
          onClick={(e) => {
            e.preventDefault();
            navigate({ name: "templates" });
          }}
          data-testid="nav-templates"
        >
          Templates
        </a>
        <a
          className="header-link"
          href={routeHash({ name: "mixes" })}
          aria-current={route.name === "mixes" || route.name === "mix" ? "page" : undefined}
          onClick={(e) => {
            e.preventDefault();
            navigate({ name: "mixes" });
          }}
          data-testid="nav-mixes"
        >
          Mixer
        </a>
        <a
          className="header-link"
          href={routeHash({ name: "api" })}
          aria-current={route.name === "api" ? "page" : undefined}
          onClick={(e) => {
            e.preventDefault();
            navigate({ name: "api" });
          }}
          data-testid="nav-api"
        >
          API
        </a>
        <UserMenu
          user={user}
          onNavigate={(next) => {
            navigate(next);
            // The chosen menu item is gone: keyboard and screen-reader users continue at the new page.
            window.requestAnimationFrame(() => document.getElementById("main")?.focus({ preventScroll: true }));
          }}
          onSignOut={() => void signOut()}
        />
      </header>
      <main className="app-main" id="main" tabIndex={-1}>
        {main}
      </main>
      <Toaster />
    </div>
  );
}
