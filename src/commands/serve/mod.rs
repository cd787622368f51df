//! `jianfan serve`: build, serve on loopback, rebuild on every save, and
//! reload the open pages.
//!
//! The site is built into a private temporary folder with `base_url` set to
//! the server's own address, and served from there by tower-http's
//! `ServeDir`. A file watcher (notify, debounced) rebuilds after each change
//! to content/, templates/, static/ or site.yaml. Pages learn of rebuilds
//! over server-sent events: a script injected into HTML *responses* (never
//! into files, so `build` output is untouched) reloads the page, or shows
//! the build's errors in an overlay while the last good site stays served.
//! `/_preview/<slug>/` shows an article's scripts side by side.
//!
//! A saved article takes a quick path: only the pages that show it are
//! rendered, in place, within the 100 ms an editor notices; the search tier
//! that holds it, which takes seconds to index, is indexed again on a thread
//! of its own and swapped in after.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify_debouncer_full::notify::RecursiveMode;
use tokio::sync::{broadcast, oneshot};
use tower_http::services::{ServeDir, ServeFile};

use crate::commands::build::{build, BuildOptions};
use crate::convert::Engine;
use crate::diagnostic::Report;
use crate::publish::Published;

pub mod cms;
mod quick;

use quick::{index_in_background, update_articles, SearchJob};

/// How many ports after the asked one are tried when it is taken.
const PORT_ATTEMPTS: u16 = 20;
/// How long the watcher waits for a burst of saves to settle. Editors save
/// in a few milliseconds (write, rename); the page should update within
/// 100 ms of the save, so the wait is short.
const DEBOUNCE: Duration = Duration::from_millis(25);
/// How long the saves must pause before the search tiers they touched
/// are indexed again.
const SEARCH_QUIET: Duration = Duration::from_millis(1000);
/// The largest HTML page the live-reload injection will buffer.
const MAX_INJECTED_PAGE: usize = 64 * 1024 * 1024;

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user says otherwise.
    pub bind: IpAddr,
    /// The port to try first; 0 picks any free port.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Include articles dated in the future.
    pub future: bool,
}

/// What the browser is told after a rebuild.
#[derive(Debug, Clone)]
enum Signal {
    Reload,
    Failed(String),
    /// The server is stopping: event streams end, so open pages do not hold
    /// the graceful shutdown up.
    Stopping,
}

/// State shared by the watcher and the request handlers.
struct Shared {
    /// The last build's error, shown to pages that connect while it stands.
    error: RwLock<Option<String>>,
    /// The last good site as published, for previews and the quick path.
    site: RwLock<Option<Arc<Published>>>,
    signals: broadcast::Sender<Signal>,
    /// Full builds into the served folder, counted. Held while a full build
    /// runs and while the search indexer writes, so that an index made from
    /// an older site never lands on a newer build.
    builds: Mutex<u64>,
    /// The site's folder and the conversion engine, for previews of
    /// articles the served site leaves out (drafts, scheduled ones).
    root: PathBuf,
    engine: Arc<dyn Engine>,
}

/// A running server. Dropping it does not stop it; call [`Server::stop`].
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The private folder the site is built into and served from.
    pub served: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
}

impl Server {
    /// The URL of the site's root page.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stops watching and serving, and removes the served folder.
    pub fn stop(mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => bail!("the server thread panicked"),
            None => Ok(()),
        }
    }
}

/// Binds the first free port from `port` on, saying so when it moved.
fn bind(address: IpAddr, port: u16) -> Result<TcpListener> {
    let attempts = if port == 0 { 1 } else { PORT_ATTEMPTS };
    for offset in 0..attempts {
        let candidate = port.saturating_add(offset);
        match TcpListener::bind((address, candidate)) {
            Ok(listener) => {
                if offset > 0 {
                    eprintln!("port {port} is taken; using {candidate}");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot listen on {address}:{candidate}"))
            }
        }
    }
    bail!(
        "ports {port} to {} are all taken; pass another with --port",
        port.saturating_add(attempts - 1)
    )
}

/// Builds the site, then serves and watches it on a background thread.
/// Returns once the server listens and the first build has run.
pub fn start(mut options: ServeOptions, engine: Arc<dyn Engine>) -> Result<Server> {
    // The watcher reports absolute paths; a saved article is recognised by
    // its place under the root, so the root must be absolute too (`--root`
    // defaults to `.`).
    options.root = std::fs::canonicalize(&options.root)
        .with_context(|| format!("cannot find the site's folder {}", options.root.display()))?;
    let listener = bind(options.bind, options.port)?;
    let addr = listener
        .local_addr()
        .context("the listening socket has no address")?;
    listener
        .set_nonblocking(true)
        .context("cannot configure the listening socket")?;
    let served = tempfile::Builder::new()
        .prefix("jianfan-serve-")
        .tempdir()
        .context("cannot create a folder to serve from")?;
    let output = served.path().join("site");
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let build_options = BuildOptions {
        drafts: options.drafts,
        future: options.future,
        base_url: Some(format!("http://{host}:{}/", addr.port())),
        // The side-by-side preview shows each article's source.
        keep_sources: true,
        ..BuildOptions::new(&options.root, &output)
    };

    let (signals, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        error: RwLock::new(None),
        site: RwLock::new(None),
        signals,
        builds: Mutex::new(0),
        root: options.root.clone(),
        engine: Arc::clone(&engine),
    });
    rebuild(&build_options, &engine, &shared);

    let (changes, changed) = mpsc::channel();
    let watcher = watch(&options.root, changes)?;
    let (search_jobs, search_queue) = mpsc::channel::<SearchJob>();
    let indexer = {
        let shared = Arc::clone(&shared);
        let output = output.clone();
        std::thread::spawn(move || index_in_background(&search_queue, &shared, &output))
    };
    let rebuilder = {
        let shared = Arc::clone(&shared);
        let engine = Arc::clone(&engine);
        let output = output.clone();
        std::thread::spawn(move || {
            rebuild_on_changes(
                &changed,
                &build_options,
                &engine,
                &shared,
                &output,
                &search_jobs,
            )
        })
    };

    // The CMS's routes are merged outside the live-reload layer: the admin
    // is a page an editor types into, and must not reload on the rebuilds
    // its own saves cause.
    let app = router(&output, Arc::clone(&shared)).merge(cms::routes(&options.root, addr));
    let signals = shared.signals.clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let manifest = crate::publish::incremental::Manifest::path(&options.root, &output);
    let thread = std::thread::spawn(move || -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the server's runtime")?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            // The CMS's API answers loopback peers only: it needs the peer.
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                    let _ = signals.send(Signal::Stopping);
                })
                .await
        })?;
        // Stop watching first: the rebuilder ends when the watcher's channel
        // closes; then the served folder goes.
        drop(watcher);
        let _ = rebuilder.join();
        // The rebuilder held the indexer's queue: the indexer ends after the
        // tier it is indexing.
        let _ = indexer.join();
        drop(served);
        // The build cache's manifest for the private folder is of no use now.
        let _ = std::fs::remove_file(&manifest);
        Ok(())
    });
    Ok(Server {
        addr,
        served: output,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Watches what a build reads under `root`, sending the paths of each
/// burst of changes to `changes`.
fn watch(
    root: &Path,
    changes: mpsc::Sender<Vec<PathBuf>>,
) -> Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    let mut watcher = notify_debouncer_full::new_debouncer(DEBOUNCE, None, move |result| {
        if let Ok(events) = result {
            let events: Vec<notify_debouncer_full::DebouncedEvent> = events;
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !e.event.kind.is_access())
                .flat_map(|e| e.event.paths.iter().cloned())
                .collect();
            if !paths.is_empty() {
                let _ = changes.send(paths);
            }
        }
    })
    .context("cannot watch the site's files")?;
    for watched in crate::layout::INPUTS {
        let path = root.join(watched);
        if path.exists() {
            let mode = if path.is_dir() {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            watcher
                .watch(&path, mode)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }
    Ok(watcher)
}

/// Until the watcher stops: each burst of changes takes the quick path
/// when it is a saved article, and a whole build otherwise.
fn rebuild_on_changes(
    changed: &mpsc::Receiver<Vec<PathBuf>>,
    build_options: &BuildOptions,
    engine: &Arc<dyn Engine>,
    shared: &Shared,
    output: &Path,
    search_jobs: &mpsc::Sender<SearchJob>,
) {
    while let Ok(mut paths) = changed.recv() {
        // Saves arriving during a rebuild need one more, not one each.
        while let Ok(more) = changed.try_recv() {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        let started = std::time::Instant::now();
        match update_articles(build_options, shared, &paths, output) {
            // Only files no build reads: nothing to do.
            Some(Ok((files, _))) if files.is_empty() => {}
            Some(Ok((files, jobs))) => {
                eprintln!(
                    "updated {} in {:.0} ms",
                    files.join(", "),
                    started.elapsed().as_secs_f64() * 1e3
                );
                *shared.error.write().expect("no writer panics") = None;
                let _ = shared.signals.send(Signal::Reload);
                for job in jobs {
                    let _ = search_jobs.send(job);
                }
            }
            Some(Err(error)) => report_failure(&build_options.root, &error, shared),
            None => rebuild(build_options, engine, shared),
        }
    }
}

/// `jianfan serve`: runs until Ctrl-C.
pub fn run(options: ServeOptions, open_browser: bool) -> Result<()> {
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can read the site, \
             drafts included",
            options.bind
        );
    }
    let server = start(options, crate::convert::default_engine())?;
    let url = server.url();
    eprintln!("serving {url} (live reload on; Ctrl-C to stop)");
    if open_browser {
        if let Err(e) = open::that(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(stop_requested())
        .context("cannot wait for Ctrl-C")?;
    eprintln!("stopping");
    server.stop()
}

/// Ctrl-C, or (on Unix) a polite kill: either way the served folder, half a
/// gigabyte for a large archive, is removed before exiting.
async fn stop_requested() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await
}

/// Builds into the served folder; on failure the previous site stays.
fn rebuild(options: &BuildOptions, engine: &Arc<dyn Engine>, shared: &Shared) {
    let root = &options.root;
    let started = std::time::Instant::now();
    let mut builds = shared.builds.lock().expect("no holder panics");
    *builds += 1;
    match build(options, engine) {
        Ok(summary) => {
            for warning in &summary.warnings {
                eprintln!("{warning}");
            }
            eprintln!(
                "rebuilt {} pages in {:.0} ms",
                summary.pages,
                started.elapsed().as_secs_f64() * 1e3
            );
            if let Some(published) = summary.published {
                *shared.site.write().expect("no writer panics") = Some(Arc::new(published));
            }
            *shared.error.write().expect("no writer panics") = None;
            let _ = shared.signals.send(Signal::Reload);
        }
        Err(error) => report_failure(root, &error, shared),
    }
}

/// Shows a failed build in the console and on every open page.
fn report_failure(root: &Path, error: &anyhow::Error, shared: &Shared) {
    let text = match error.downcast_ref::<Report>() {
        Some(report) => {
            let rendered = crate::diagnostic::render(report.sorted(), root, false);
            format!("{rendered}{}", report.summary())
        }
        None => error
            .chain()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n  caused by: "),
    };
    eprintln!("{text}\nthe last good site is still served");
    *shared.error.write().expect("no writer panics") = Some(text.clone());
    let _ = shared.signals.send(Signal::Failed(text));
}

fn router(output: &Path, shared: Arc<Shared>) -> Router {
    let files = ServeDir::new(output).not_found_service(ServeFile::new(output.join("404.html")));
    Router::new()
        .route("/__jianfan/live.js", get(live_script))
        .route("/__jianfan/events", get(events))
        .route("/_preview/{slug}/", get(preview))
        .fallback_service(files)
        .layer(middleware::from_fn(inject_live_reload))
        .with_state(shared)
}

/// The script every served page loads.
async fn live_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_RELOAD_JS,
    )
}

/// Server-sent events: `reload` after a good build, `failed` with the
/// errors after a bad one (first thing on connecting, while it stands).
async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let pending = shared.error.read().expect("no writer panics").clone();
    let receiver = shared.signals.subscribe();
    let first = futures_util::stream::iter(pending.map(|text| Ok(failed_event(&text))));
    let later = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(Signal::Reload) => {
                    return Some((Ok(Event::default().event("reload").data("")), receiver))
                }
                Ok(Signal::Failed(text)) => return Some((Ok(failed_event(&text)), receiver)),
                Ok(Signal::Stopping) => return None,
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    use futures_util::StreamExt;
    Sse::new(
        first
            .chain(later)
            .map(|e: Result<Event, std::convert::Infallible>| e),
    )
    .keep_alive(KeepAlive::default())
}

fn failed_event(text: &str) -> Event {
    Event::default().event("failed").data(text)
}

/// Adds the live-reload script to HTML responses.
async fn inject_live_reload(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_INJECTED_PAGE).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large to serve").into_response();
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    let tag = "<script src=\"/__jianfan/live.js\"></script>";
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, tag),
        None => html.push_str(tag),
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(html))
}

/// `/_preview/<slug>/`: the article's scripts side by side.
async fn preview(State(shared): State<Arc<Shared>>, UrlPath(slug): UrlPath<String>) -> Response {
    let site = shared.site.read().expect("no writer panics").clone();
    let Some(site) = site else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the site has not built yet",
        )
            .into_response();
    };
    let page = crate::render::preview::page(&site.site, &slug)
        .or_else(|| unpublished_preview(&shared, &site, &slug));
    match page {
        Some(html) => Html(html).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Html(format!(
                "no article `{}`",
                crate::render::preview::escape(&slug)
            )),
        )
            .into_response(),
    }
}

/// The preview of an article the served site leaves out (a draft, as the
/// CMS saves a new article, or one scheduled for later), converted on its
/// own from its file; `None` when there is no such article or it has errors
/// (which the overlay shows).
fn unpublished_preview(shared: &Shared, site: &Published, slug: &str) -> Option<String> {
    if !crate::source::article::is_valid_slug(slug) {
        return None;
    }
    let file = Path::new(crate::layout::CONTENT_DIR).join(format!("{slug}.md"));
    let text = crate::fs::read_text(&shared.root.join(&file)).ok()?;
    let config = site.site.config.clone();
    let article = crate::source::article::Article::parse(&file, &text, &config).ok()?;
    let one = crate::convert::site::Site::assemble(config, vec![article], &shared.engine).ok()?;
    crate::render::preview::page(&one, slug)
}

/// Reloads on `reload`; shows the build's errors over the page on `failed`.
const LIVE_RELOAD_JS: &str = r#"(function () {
  var source = new EventSource("/__jianfan/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("failed", function (e) {
    var box = document.getElementById("jianfan-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "jianfan-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.6 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    // textContent: the errors are shown as text, whatever they contain.
    box.textContent = "jianfan: the site did not build; the last good version is still served.\n\n" + e.data;
  });
})();
"#;
