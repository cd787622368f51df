//! A build's stages as the user sees them: a progress display for long
//! builds (one bar per script counting pages rendered, and a line naming the
//! stage under way: the search index of a large archive takes a while), and
//! with `JIANFAN_TIMINGS` set, how long each stage took.
//!
//! Built on indicatif. Nothing is drawn for a build that finishes within a
//! second, nor when stderr is not a terminal (CI logs, pipes) or with
//! `--quiet`: the display only appears once a second has passed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before the display appears.
const DELAY: Duration = Duration::from_secs(1);

/// The display of one build; [`Progress::none`] draws nothing.
pub struct Progress {
    enabled: bool,
    started: Instant,
    shown: AtomicBool,
    multi: MultiProgress,
    stage: ProgressBar,
    scripts: OnceLock<Vec<ProgressBar>>,
}

impl Progress {
    /// A display on stderr, if stderr is a terminal.
    pub fn on_terminal() -> Progress {
        use std::io::IsTerminal;
        Progress::new(std::io::stderr().is_terminal())
    }

    /// A display that never draws.
    pub fn none() -> Progress {
        Progress::new(false)
    }

    fn new(enabled: bool) -> Progress {
        // Hidden until the build has run for DELAY.
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let stage = multi.add(ProgressBar::new_spinner());
        stage.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Progress {
            enabled,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            multi,
            stage,
            scripts: OnceLock::new(),
        }
    }

    /// Names the stage under way.
    pub fn stage(&self, message: &'static str) {
        if self.enabled {
            self.stage.set_message(message);
            self.stage.tick();
            self.show_when_due();
        }
    }

    /// Starts one bar per script, each counting `pages` pages (once).
    pub fn pages(&self, scripts: &[String], pages: usize) {
        if !self.enabled {
            return;
        }
        let style = ProgressStyle::with_template("{prefix:>6} [{bar:30}] {pos}/{len} pages")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bars = scripts
            .iter()
            .map(|name| {
                let bar = self.multi.add(ProgressBar::new(pages as u64));
                bar.set_style(style.clone());
                bar.set_prefix(name.clone());
                bar
            })
            .collect();
        let _ = self.scripts.set(bars);
    }

    /// One page of script `script` is done.
    pub fn page_done(&self, script: usize) {
        if !self.enabled {
            return;
        }
        if let Some(bar) = self.scripts.get().and_then(|bars| bars.get(script)) {
            bar.inc(1);
        }
        self.show_when_due();
    }

    fn show_when_due(&self) {
        if self.started.elapsed() >= DELAY && !self.shown.swap(true, Ordering::Relaxed) {
            self.multi.set_draw_target(ProgressDrawTarget::stderr());
            self.stage.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// Removes the display, leaving the terminal as it was.
    pub fn finish(&self) {
        self.stage.finish_and_clear();
        for bar in self.scripts.get().into_iter().flatten() {
            bar.finish_and_clear();
        }
        let _ = self.multi.clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The stages of one build: the progress display, and the stopwatch that
/// prints how long each stage took to stderr when `JIANFAN_TIMINGS` is set
/// (the first thing to look at when a build is slow; see BENCHMARKS.md).
pub struct Stages {
    /// The progress display.
    pub progress: Progress,
    last: Option<Instant>,
}

impl Stages {
    /// Starts timing; with a progress display on a terminal when `progress`.
    pub fn start(progress: bool) -> Stages {
        let on = std::env::var_os("JIANFAN_TIMINGS").is_some();
        Stages {
            progress: if progress {
                Progress::on_terminal()
            } else {
                Progress::none()
            },
            last: on.then(Instant::now),
        }
    }

    /// Names the stage now under way on the display.
    pub fn enter(&self, stage: &'static str) {
        self.progress.stage(stage);
    }

    /// Records that `stage` has ended.
    pub fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            eprintln!("{:>8.1} ms  {stage}", (now - last).as_secs_f64() * 1e3);
            self.last = Some(now);
        }
    }
}
