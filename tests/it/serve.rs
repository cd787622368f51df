//! `jianfan serve` against a real listening socket: pages with live reload,
//! rebuilds on save, errors in the browser, the side-by-side preview. Only
//! with the cargo feature `serve` (the default).
#![cfg(feature = "serve")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::common::*;
use jianfan::commands::serve::{start, ServeOptions, Server};

fn serve(root: &std::path::Path) -> Server {
    let options = ServeOptions {
        root: root.to_path_buf(),
        bind: "127.0.0.1".parse().expect("loopback"),
        port: 0,
        drafts: false,
        future: false,
    };
    start(options, jianfan::convert::default_engine()).expect("server starts")
}

/// A plain HTTP/1.1 GET: (status, body).
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let (status, response) = raw_get(addr, path);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// The event stream, read line by line.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        write!(
            stream,
            "GET /__jianfan/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
        )
        .expect("sends");
        let mut events = Events(BufReader::new(stream));
        // Headers end with an empty line.
        let mut line = String::new();
        while events.0.read_line(&mut line).expect("header") > 2 {
            line.clear();
        }
        events
    }

    /// The next event's name and data.
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), Vec::new());
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let mut line = String::new();
            self.0.read_line(&mut line).expect("event line");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data.push(value.to_string());
            } else if line.is_empty() && !name.is_empty() {
                return (name, data.join("\n"));
            }
        }
        panic!("no event arrived");
    }
}

#[test]
fn pages_are_served_with_live_reload_and_files_stay_clean() {
    let site = fixture("basic");
    let server = serve(site.path());
    let (status, html) = get(server.addr, "/zh-hans/articles/soft-wrap/");
    assert_eq!(status, 200);
    assert!(html.contains("清朝乾隆皇帝"), "{html}");
    assert!(
        html.contains("<script src=\"/__jianfan/live.js\"></script></body>"),
        "injected"
    );
    // Links from the server's own address.
    assert!(
        html.contains(&format!(
            "href=\"http://{}/zh-hans/articles/soft-wrap/\"",
            server.addr
        )),
        "{html}"
    );
    let (status, script) = get(server.addr, "/__jianfan/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    let (status, not_found) = get(server.addr, "/zh-hans/no-such-page/");
    assert_eq!(status, 404);
    assert!(
        not_found.contains("<h1 class=\"page-heading\">找不到這一頁</h1>"),
        "{not_found}"
    );
    // `build` output never carries the script.
    let (_site, output) = built("basic");
    let built = std::fs::read_to_string(output.join("zh-hans/index.html")).expect("built page");
    assert!(!built.contains("live.js"));
    server.stop().expect("stops cleanly");
}

#[test]
fn a_save_rebuilds_and_reloads_and_an_error_shows_until_fixed() {
    let site = fixture("basic");
    let server = serve(site.path());
    let mut events = Events::open(server.addr);
    let article = site.path().join("content/economy-one.md");
    let original = std::fs::read_to_string(&article).expect("article");

    std::fs::write(
        &article,
        original.replace("香港經濟正在轉型。", "香港經濟加快轉型。"),
    )
    .expect("save");
    assert_eq!(events.next().0, "reload");
    let (_, hans) = get(server.addr, "/zh-hans/articles/economy-one/");
    assert!(hans.contains("香港经济加快转型。"), "{hans}");

    std::fs::write(
        &article,
        original.replace("date: 2025-03-03", "date: 2025-02-30"),
    )
    .expect("break");
    let (name, data) = events.next();
    assert_eq!(name, "failed");
    assert!(
        data.contains(
            "error: `2025-02-30` is not a real date
 --> content/economy-one.md:3:7
  |
3 | date: 2025-02-30"
        ),
        "{data}"
    );
    // The last good site is still served, and a page opened now learns of
    // the error as soon as it connects.
    let (status, still) = get(server.addr, "/zh-hans/articles/economy-one/");
    assert_eq!(status, 200);
    assert!(still.contains("香港经济加快转型。"));
    let mut late = Events::open(server.addr);
    assert_eq!(late.next().0, "failed");

    std::fs::write(&article, &original).expect("fix");
    assert_eq!(events.next().0, "reload");
    let (_, fixed) = get(server.addr, "/zh-hans/articles/economy-one/");
    assert!(fixed.contains("香港经济正在转型。"));
    server.stop().expect("stops cleanly");
}

#[test]
fn the_overlay_lists_every_problem_and_drops_each_as_it_is_fixed() {
    let site = fixture("basic");
    let server = serve(site.path());
    let mut events = Events::open(server.addr);
    let one = site.path().join("content/economy-one.md");
    let two = site.path().join("content/economy-two.md");
    let (first, second) = (
        std::fs::read_to_string(&one).expect("article"),
        std::fs::read_to_string(&two).expect("article"),
    );

    // Two problems in two files, saved together: both are shown.
    std::fs::write(&one, first.replace("date: 2025-03-03", "date: 2025-02-30")).expect("break");
    std::fs::write(&two, format!("{second}\n[壞](@/no-such-article.md)\n")).expect("break");
    let mut data = events.next();
    while !data.1.contains("2 errors found") {
        assert_eq!(data.0, "failed", "{data:?}");
        data = events.next();
    }
    assert!(
        data.1.contains("--> content/economy-one.md:3:7"),
        "{}",
        data.1
    );
    assert!(
        data.1
            .contains("the link `@/no-such-article.md` leads to no article"),
        "{}",
        data.1
    );

    // One fixed: the other is still shown, alone.
    std::fs::write(&one, &first).expect("fix one");
    let (name, data) = events.next();
    assert_eq!(name, "failed");
    assert!(data.contains("1 error found"), "{data}");
    assert!(!data.contains("economy-one.md"), "{data}");
    assert!(data.contains("content/economy-two.md"), "{data}");

    // Both fixed: the pages reload.
    std::fs::write(&two, &second).expect("fix two");
    assert_eq!(events.next().0, "reload");
    server.stop().expect("stops cleanly");
}

#[test]
fn preview_shows_both_scripts_side_by_side_with_marks() {
    let site = fixture("basic");
    let server = serve(site.path());
    let (status, html) = get(server.addr, "/_preview/soft-wrap/");
    assert_eq!(status, 200);
    assert!(
        html.contains("<th lang=\"zh-Hant-HK\">繁體</th><th lang=\"zh-Hans\">简体</th>"),
        "{html}"
    );
    // 乾隆 is kept by phrase (乾 alone would be 干) and 乾 is ambiguous.
    assert!(
        html.contains("<mark class=\"phrase\" title=\"逐字：干\">乾</mark>隆皇帝"),
        "{html}"
    );
    assert!(
        html.contains("<mark class=\"ambiguous\" title=\"乾干\">乾</mark>"),
        "{html}"
    );
    let (status, _) = get(server.addr, "/_preview/no-such-article/");
    assert_eq!(status, 404);
    server.stop().expect("stops cleanly");
}

#[test]
fn a_taken_port_moves_to_the_next_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let site = fixture("basic");
    let options = ServeOptions {
        root: site.path().to_path_buf(),
        bind: "127.0.0.1".parse().expect("loopback"),
        port,
        drafts: false,
        future: false,
    };
    let server = start(options, jianfan::convert::default_engine()).expect("starts");
    assert_ne!(server.addr.port(), port);
    assert!(server.addr.port() > port && server.addr.port() <= port + 20);
    server.stop().expect("stops cleanly");
}

/// Sends `request_line` exactly as written (no client normalisation).
fn raw_get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("sends");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

#[test]
fn the_preview_server_exposes_nothing_outside_the_site() {
    let site = fixture("basic");
    // A secret beside the site's output folder.
    std::fs::write(site.path().join("secret.txt"), "TOP-SECRET").expect("write");
    let server = serve(site.path());
    assert!(server.addr.ip().is_loopback(), "loopback by default");
    for target in [
        "/../secret.txt",
        "/zh-hant/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/zh-hant/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "http://127.0.0.1/../secret.txt",
        "/__jianfan/events/../../secret.txt",
        "/__jianfan/live.js?file=../../secret.txt",
        "/_preview/..%2f..%2fsecret.txt/",
    ] {
        let (status, response) = raw_get(server.addr, target);
        assert!(!response.contains("TOP-SECRET"), "{target} leaked the file");
        assert!(
            !response.contains("root:x:0:0"),
            "{target} leaked /etc/passwd"
        );
        assert!(
            status == 400 || status == 404 || status == 200 && !response.contains("SECRET"),
            "{target}: {status}"
        );
    }
    let (_, listing) = raw_get(server.addr, "/zh-hant/articles/");
    assert!(
        !listing.contains("soft-wrap/\"") || listing.contains("<!DOCTYPE html>"),
        "no directory listing"
    );
    let (status, _) = raw_get(server.addr, "/pagefind/tier-00/");
    assert_eq!(status, 404, "a folder without index.html is not listed");
    // Files vanishing under a rebuild do not stop the server.
    std::fs::remove_dir_all(site.path().join("content")).expect("remove content");
    std::fs::create_dir(site.path().join("content")).expect("recreate");
    std::thread::sleep(Duration::from_millis(800));
    let (status, _) = get(server.addr, "/zh-hant/");
    assert_eq!(status, 200, "still serving");
    server.stop().expect("stops cleanly");
}

#[test]
fn build_and_serve_never_write_into_the_sites_own_files() {
    let site = fixture("basic");
    let sources = |root: &std::path::Path| {
        let mut all: Vec<(String, Vec<u8>)> = ["content", "templates", "static", "site.yaml"]
            .iter()
            .flat_map(|p| walkdir::WalkDir::new(root.join(p)))
            .map(|e| e.expect("readable"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().display().to_string(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect();
        all.sort();
        all
    };
    let before = sources(site.path());
    build_site(site.path(), &site.path().join("public")).expect("builds");
    let server = serve(site.path());
    let (status, _) = get(server.addr, "/zh-hans/");
    assert_eq!(status, 200);
    server.stop().expect("stops");
    assert_eq!(
        sources(site.path()),
        before,
        "content/, templates/, static/ and site.yaml are untouched"
    );
}

/// The text of every result fragment in the served search index (Pagefind
/// gzips them behind a signature; the JSON holds each result's metadata).
fn search_fragments(served: &std::path::Path) -> Vec<String> {
    walkdir::WalkDir::new(served.join("pagefind"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pf_fragment"))
        .filter_map(|e| {
            let mut text = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(e.path()).ok()?)
                .read_to_string(&mut text)
                .ok()?;
            Some(text)
        })
        .collect()
}

/// `path` relative to the current folder, as an editor gives `--root`
/// (it defaults to `.`).
fn relative_to_here(path: &std::path::Path) -> std::path::PathBuf {
    let here = std::env::current_dir().expect("a current folder");
    let up = here.components().count() - 1;
    let mut relative: std::path::PathBuf = std::iter::repeat_n("..", up).collect();
    relative.push(path.strip_prefix("/").expect("an absolute path"));
    relative
}

#[test]
fn a_saved_article_updates_only_the_pages_that_show_it() {
    let site = fixture("basic");
    let server = serve(&relative_to_here(site.path()));
    let mut events = Events::open(server.addr);
    let modified = |file: &str| {
        std::fs::metadata(server.served.join(file))
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    let unrelated = "zh-hant/articles/code-and-urls/index.html";
    let before = modified(unrelated);
    // A full build saves its manifest of the served folder; the quick path
    // writes pages only.
    let manifest = jianfan::publish::incremental::Manifest::path(site.path(), &server.served);
    let built = std::fs::read(&manifest).expect("the build's manifest");
    let article = site.path().join("content/economy-one.md");
    let original = std::fs::read_to_string(&article).expect("article");
    std::fs::write(&article, original.replace("經濟轉型第一篇", "經濟轉型首篇")).expect("save");
    assert_eq!(events.next().0, "reload");
    // The new headline is on its page, the lists and the feeds, in both scripts.
    for (path, headline) in [
        ("/zh-hant/articles/economy-one/", "經濟轉型首篇"),
        ("/zh-hans/articles/economy-one/", "经济转型首篇"),
        ("/zh-hans/2025/03/03/", "经济转型首篇"),
        ("/zh-hant/topics/economy/", "經濟轉型首篇"),
        ("/zh-hant/topics/economy/2025/03/", "經濟轉型首篇"),
        ("/zh-hans/atom.xml", "经济转型首篇"),
        ("/zh-hans/topics/economy/atom.xml", "经济转型首篇"),
    ] {
        let (status, body) = get(server.addr, path);
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(headline), "{path} lacks {headline}");
    }
    // A page that does not show the article was not written again, and no
    // full build ran.
    assert_eq!(modified(unrelated), before);
    assert!(
        std::fs::read(&manifest).expect("manifest") == built,
        "the quick path was taken"
    );
    // The search index catches up on a thread of its own: the new headline
    // is found, the old one is gone, and the index's entry file names a
    // metadata file that exists.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let fragments = search_fragments(&server.served);
        let found = |headline: &str| fragments.iter().any(|f| f.contains(headline));
        if found("經濟轉型首篇") && !found("經濟轉型第一篇") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the search index still has the old headline"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let entry: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(server.served.join("pagefind/tier-00/pagefind-entry.json"))
            .expect("entry file"),
    )
    .expect("JSON");
    let hash = entry["languages"]["zh"]["hash"].as_str().expect("a hash");
    assert!(server
        .served
        .join(format!("pagefind/tier-00/pagefind.{hash}.pf_meta"))
        .is_file());
    // The block the preview indexed is in the search cache: a full build of
    // the site as it stands now indexes nothing anew.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let full = build_site(site.path(), &elsewhere.path().join("public")).expect("builds");
    assert_eq!(
        full.indexed, 0,
        "a block the preview indexed was indexed again"
    );
    assert!(search_fragments(&elsewhere.path().join("public"))
        .iter()
        .any(|f| f.contains("經濟轉型首篇")));
    // That build's manifest and record are its own, not the served
    // folder's (the server keeps no record: it reads every file).
    let elsewhere_manifest = jianfan::publish::incremental::Manifest::path(
        site.path(),
        &elsewhere.path().join("public"),
    );
    let elsewhere_record = elsewhere_manifest.with_extension("articles.bin");
    std::fs::remove_file(elsewhere_manifest).expect("the other build's manifest");
    std::fs::remove_file(elsewhere_record).expect("the other build's record");

    // An editor that saves through a temporary file and a rename: the quick
    // path still, not a full build for the temporary file's name.
    let temporary = site.path().join("content/.economy-one.md.swp");
    std::fs::write(
        &temporary,
        original.replace("經濟轉型第一篇", "經濟轉型又一篇"),
    )
    .expect("save");
    // Slower than the watcher's debounce, so the temporary file is reported
    // on its own (a large file or a slow disk does the same).
    std::thread::sleep(Duration::from_millis(200));
    std::fs::rename(&temporary, &article).expect("rename over the article");
    assert_eq!(events.next().0, "reload");
    let (_, body) = get(server.addr, "/zh-hans/articles/economy-one/");
    assert!(body.contains("经济转型又一篇"), "{body}");
    assert!(
        std::fs::read(&manifest).expect("manifest") == built,
        "the quick path was taken"
    );

    // A change of date moves the article to another day: the whole site is
    // built again.
    std::fs::write(
        &article,
        original.replace("date: 2025-03-03", "date: 2024-01-01"),
    )
    .expect("save");
    assert_eq!(events.next().0, "reload");
    let (_, moved) = get(server.addr, "/zh-hant/2024/01/01/");
    assert!(moved.contains("經濟轉型第一篇"), "its new day's page");
    let (status, _) = get(server.addr, "/zh-hant/2025/03/03/");
    assert_eq!(status, 404, "a day with nothing left has no page");
    let (_, oldest) = get(server.addr, "/zh-hant/2025/03/01/");
    assert!(
        oldest.contains("href=\"../../../../zh-hant/2024/01/01/\""),
        "{oldest}"
    );
    server.stop().expect("stops cleanly");
    // The build manifest of the private served folder goes with it.
    let manifests = std::fs::read_dir(site.path().join(".jianfan-cache/builds"))
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert_eq!(manifests, 0);
}

#[test]
fn a_saved_article_keeps_its_processed_photos_on_the_quick_path() {
    let site = fixture("basic");
    let root = site.path();
    std::fs::create_dir_all(root.join("static/images")).expect("mkdir");
    std::fs::write(root.join("static/images/a.jpg"), plain_jpeg(1000, 500)).expect("photo");
    std::fs::write(root.join("static/images/b.jpg"), plain_jpeg(900, 600)).expect("photo");
    let article = root.join("content/economy-one.md");
    let original = std::fs::read_to_string(&article).expect("article");
    let with_photo = original.replacen("\n---\n", "\nimage: images/a.jpg\n---\n", 1);
    std::fs::write(&article, &with_photo).expect("photo in front matter");
    let server = serve(&relative_to_here(root));
    let mut events = Events::open(server.addr);
    let manifest = jianfan::publish::incremental::Manifest::path(root, &server.served);
    let built = std::fs::read(&manifest).expect("the build's manifest");
    let lead = r#"srcset="../../../images/a-480w.webp 480w, ../../../images/a-800w.webp 800w, ../../../images/a-1000w.webp 1000w""#;

    // An edit of the text: the quick path, the photo still laid out.
    std::fs::write(
        &article,
        with_photo.replace("經濟轉型第一篇", "經濟轉型首篇"),
    )
    .expect("save");
    assert_eq!(events.next().0, "reload");
    let (_, page) = get(server.addr, "/zh-hant/articles/economy-one/");
    assert!(
        page.contains("經濟轉型首篇") && page.contains(lead),
        "{page}"
    );
    assert!(
        std::fs::read(&manifest).expect("manifest") == built,
        "the quick path was taken"
    );

    // A photo the last build did not show: the full build processes it.
    let both = with_photo.replace("經濟轉型第一篇", "經濟轉型首篇") + "\n![乙](/images/b.jpg)\n";
    std::fs::write(&article, both).expect("save");
    assert_eq!(events.next().0, "reload");
    let (_, page) = get(server.addr, "/zh-hant/articles/economy-one/");
    assert!(
        page.contains(r#"../../../images/b-900w.webp 900w""#),
        "{page}"
    );
    assert!(
        std::fs::read(&manifest).expect("manifest") != built,
        "a full build ran"
    );
}
