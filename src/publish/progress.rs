//! A build's stages as the user sees them: a progress display for long
//! builds (one bar per script counting pages rendered, one counting the
//! search index's blocks, and a line naming the stage under way: the search
//! index of a large archive takes a while), and with `JIANFAN_TIMINGS` set,
//! how long each stage took. Each bar is drawn once more when its stage
//! ends, so it stops at its full count: indicatif draws at most a few times
//! a second, and the last pages of a stage otherwise never show. A stage's
//! end is also where the memory it freed goes back to the system
//! ([`give_back_memory`]), so a build's peak is its largest stage's.
//!
//! Built on indicatif. Nothing is drawn for a build that finishes within a
//! second, nor when stderr is not a terminal (CI logs, pipes) or with
//! `--quiet`: the display only appears once a second has passed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before the display appears.
const DELAY: Duration = Duration::from_secs(1);

/// The display of one build; [`Progress::none`] draws nothing.
pub struct Progress {
    enabled: bool,
    /// How long the build runs before the display appears.
    delay: Duration,
    started: Instant,
    shown: AtomicBool,
    /// Where the display goes once it is due; taken then.
    target: Mutex<Option<ProgressDrawTarget>>,
    multi: MultiProgress,
    stage: ProgressBar,
    scripts: OnceLock<Vec<ProgressBar>>,
    blocks: OnceLock<ProgressBar>,
    photos: OnceLock<ProgressBar>,
}

impl Progress {
    /// A display on stderr, if stderr is a terminal.
    pub fn on_terminal() -> Progress {
        use std::io::IsTerminal;
        Progress::new(
            std::io::stderr().is_terminal(),
            DELAY,
            ProgressDrawTarget::stderr(),
        )
    }

    /// A display that never draws.
    pub fn none() -> Progress {
        Progress::new(false, DELAY, ProgressDrawTarget::hidden())
    }

    fn new(enabled: bool, delay: Duration, target: ProgressDrawTarget) -> Progress {
        // Hidden until the build has run for DELAY.
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let stage = multi.add(ProgressBar::new_spinner());
        stage.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Progress {
            enabled,
            delay,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            target: Mutex::new(Some(target)),
            multi,
            stage,
            scripts: OnceLock::new(),
            blocks: OnceLock::new(),
            photos: OnceLock::new(),
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
        let bars = scripts
            .iter()
            .map(|name| self.bar(name, pages, "pages"))
            .collect();
        let _ = self.scripts.set(bars);
    }

    /// A bar named `name` counting `len` things called `unit`.
    fn bar(&self, name: &str, len: usize, unit: &str) -> ProgressBar {
        let template = format!("{{prefix:>6}} [{{bar:30}}] {{pos}}/{{len}} {unit}");
        let bar = self.multi.add(ProgressBar::new(len as u64));
        bar.set_style(
            ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(name.to_string());
        bar
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

    /// Starts the bar of the photos, counting up to `files` files of
    /// static/ (once).
    pub fn photos(&self, files: usize) {
        if self.enabled {
            let _ = self.photos.set(self.bar("photos", files, "files"));
        }
    }

    /// One more file of static/ is processed or found in the cache.
    pub fn photo_done(&self) {
        if let Some(bar) = self.photos.get() {
            bar.inc(1);
            self.show_when_due();
        }
    }

    /// Starts the bar of the search index, counting `blocks` blocks (once).
    pub fn blocks(&self, blocks: usize) {
        if !self.enabled {
            return;
        }
        let _ = self.blocks.set(self.bar("search", blocks, "blocks"));
        self.show_when_due();
    }

    /// `count` more blocks of the search index are done: indexed, read from
    /// the cache or kept with their tier.
    pub fn blocks_done(&self, count: usize) {
        if let Some(bar) = self.blocks.get() {
            bar.inc(count as u64);
            self.show_when_due();
        }
    }

    /// A stage is done: every bar is drawn at the count it reached.
    pub fn redraw(&self) {
        for bar in self.bars() {
            bar.force_draw();
        }
    }

    fn bars(&self) -> impl Iterator<Item = &ProgressBar> {
        let scripts = self.scripts.get().into_iter().flatten();
        scripts.chain(self.blocks.get())
    }

    fn show_when_due(&self) {
        if self.started.elapsed() >= self.delay && !self.shown.swap(true, Ordering::Relaxed) {
            let target = self.target.lock().map(|mut t| t.take()).ok().flatten();
            self.multi
                .set_draw_target(target.unwrap_or_else(ProgressDrawTarget::hidden));
            self.stage.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// Removes the display, leaving the terminal as it was.
    pub fn finish(&self) {
        self.stage.finish_and_clear();
        for bar in self.bars() {
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
        give_back_memory();
        if let Some(last) = self.last {
            let now = Instant::now();
            let elapsed = (now - last).as_secs_f64() * 1e3;
            eprintln!("{elapsed:>8.1} ms  {stage}{}", memory());
            self.last = Some(now);
        }
    }
}

/// The memory in use and the peak so far, where the system tells
/// (Linux's /proc/self/status): which stage holds what the archive grows.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!("  ({} MB in use, peak {} MB)", now / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// mimalloc's `mi_option_purge_delay`: its place in the options of both
/// mimalloc 2 and 3 (`mimalloc.h`), which the Rust bindings do not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps the pages a stage frees for the next stages to reuse, instead of
/// returning them to the system a second later (mimalloc 3's default): the kernel zeroes every page a process takes again, which was
/// 27 % of the CPU time of publishing one article into 30,000, and a clean
/// build's stages reuse what the ones before freed. Measured (BENCHMARKS.md):
/// a new article into 30,000 in 1.35 s instead of 1.50 s (medians of five),
/// clean builds 7–12 % faster, peaks 459 MB at 10,000 and 557 MB at 30,000
/// instead of 412 and 501. `MIMALLOC_PURGE_DELAY` in the environment wins.
pub fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options; no pointers.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
    }
}

/// Hands what a finished stage's threads freed back to the allocator's
/// shared arenas, so that any thread of the next stage reuses it rather
/// than taking more from the system ([`keep_freed_memory`]).
pub fn give_back_memory() {
    // Each thread has its own heap: the pages a stage's workers freed are
    // theirs to give back.
    rayon::broadcast(|_| collect());
    collect();
}

/// Gives back the calling thread's freed pages.
pub fn collect() {
    // SAFETY: mi_collect takes no pointers; it only frees mimalloc's own
    // unused pages, and is harmless when mimalloc is not the allocator.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::InMemoryTerm;

    /// Renders as fast as a real build does, far faster than indicatif
    /// redraws: without the last draw the bars stop short of their counts.
    /// The option's number is mimalloc's own: it holds the purge delay's
    /// default, 1,000 ms in mimalloc 3 (10 ms in mimalloc 2).
    #[test]
    fn the_purge_delay_option_is_the_one_named() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads one of mimalloc's options.
            let delay = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
            assert!(delay == 1_000 || delay == 10, "{delay}");
        }
    }

    #[test]
    fn the_bars_end_at_their_full_counts() {
        let term = InMemoryTerm::new(10, 120);
        let target = ProgressDrawTarget::term_like(Box::new(term.clone()));
        let progress = Progress::new(true, Duration::ZERO, target);
        progress.stage("rendering");
        progress.pages(&["繁體".to_string(), "简体".to_string()], 5_000);
        for _ in 0..5_000 {
            progress.page_done(0);
            progress.page_done(1);
        }
        progress.redraw();
        progress.blocks(40);
        for _ in 0..4 {
            progress.blocks_done(10);
        }
        progress.redraw();
        let screen = term.contents();
        assert!(screen.contains("繁體"), "{screen}");
        assert_eq!(screen.matches("5000/5000 pages").count(), 2, "{screen}");
        assert!(screen.contains("40/40 blocks"), "{screen}");
    }
}
