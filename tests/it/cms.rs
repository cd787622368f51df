//! The CMS in `jianfan serve` over a real socket: `/admin/`, its
//! `config.yml` from site.yaml, and Decap's local-backend protocol as the
//! browser sends it (saves as `jianfan new` writes, refusals in Chinese,
//! conflicts, confinement to content/ and static/images/, the request
//! checks). `tests/browser/cms.test.mjs` drives the same through Decap.
#![cfg(feature = "serve")]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::*;
use jianfan::commands::serve::{start, ServeOptions, Server};

fn serve(root: &std::path::Path) -> Server {
    serve_with_drafts(root, true)
}

fn serve_with_drafts(root: &std::path::Path, drafts: bool) -> Server {
    let options = ServeOptions {
        root: root.to_path_buf(),
        bind: "127.0.0.1".parse().expect("loopback"),
        port: 0,
        drafts,
        future: false,
    };
    start(options, jianfan::convert::default_engine()).expect("server starts")
}

/// One HTTP/1.1 request with the given `Host` and `Origin`: (status, body).
fn request(
    addr: SocketAddr,
    method_and_path: &str,
    host: &str,
    origin: Option<&str>,
    body: &[u8],
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method_and_path} HTTP/1.1\r\nHost: {host}\r\n{origin}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("sends");
    // A refused body may be cut off unread: the status still arrives.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = (response.get(9..12))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = (response.split_once("\r\n\r\n"))
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// An action posted as the admin page posts it: (status, JSON answer).
fn act(server: &Server, action: &str, params: Value) -> (u16, Value) {
    let host = server.addr.to_string();
    let origin = format!("http://{host}");
    let body = json!({ "action": action, "params": params }).to_string();
    let (status, text) = request(
        server.addr,
        "POST /api/v1",
        &host,
        Some(&origin),
        body.as_bytes(),
    );
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Decap's `persistEntry` for one article.
fn save(server: &Server, path: &str, raw: &str) -> (u16, Value) {
    let params = json!({
        "dataFiles": [{ "path": path, "slug": "", "raw": raw }],
        "assets": [],
        "options": { "commitMessage": "", "useWorkflow": false, "status": "" },
    });
    act(server, "persistEntry", params)
}

/// The version of an article its form is filled from (`getEntry`).
fn version_of(server: &Server, path: &str) -> String {
    let (status, entry) = act(server, "getEntry", json!({ "path": path }));
    assert_eq!(status, 200, "{entry}");
    let data = entry["data"].as_str().expect("data");
    let version = entry["file"]["id"].as_str().expect("id").to_string();
    assert!(
        data.starts_with(&format!("---\nversion: {version}\n")),
        "{data}"
    );
    version
}

/// Waits until `path` is served with `text` in it.
fn served_with(server: &Server, path: &str, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let host = server.addr.to_string();
        let (status, body) = request(server.addr, &format!("GET {path}"), &host, None, b"");
        if status == 200 && body.contains(text) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed {text}: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_admin_and_its_config_are_made_from_site_yaml_at_each_request() {
    let site = fixture("basic");
    let server = serve(site.path());
    let host = server.addr.to_string();
    let (status, page) = request(server.addr, "GET /admin/", &host, None, b"");
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!(
            "src=\"{}\" integrity=\"{}\" crossorigin=\"anonymous\"",
            jianfan::cms::config::DECAP_SCRIPT,
            jianfan::cms::config::DECAP_INTEGRITY
        )),
        "{page}"
    );
    assert!(
        !page.contains("live.js"),
        "the admin does not reload on rebuilds"
    );
    let (status, yml) = request(server.addr, "GET /admin/config.yml", &host, None, b"");
    assert_eq!(status, 200);
    let config: serde_yaml::Value = serde_yaml::from_str(&yml).expect("YAML");
    assert_eq!(config["locale"], "zh_Hant");
    assert_eq!(
        config["backend"]["proxy_url"],
        format!("http://{host}/api/v1").as_str()
    );
    let fields = config["collections"][0]["fields"]
        .as_sequence()
        .expect("fields");
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .expect(name)
            .clone()
    };
    assert_eq!(field("title")["required"], true);
    assert_eq!(field("date")["required"], true);
    assert_eq!(field("draft")["default"], true);
    assert_eq!(field("body")["widget"], "text");
    assert_eq!(
        field("version")["widget"],
        "hidden",
        "forms carry their file's version"
    );
    assert_eq!(field("topics")["options"][1]["label"], "經濟發展");
    assert_eq!(
        config["collections"][0]["preview_path"],
        "_preview/{{slug}}/"
    );

    // A topic added to site.yaml is in the next config, with no restart;
    // a self-hosted Decap replaces the pinned one.
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    let yaml = yaml.replace(
        "topics:\n",
        "cms:\n  script: /decap/decap-cms.js\ntopics:\n  health:\n    name: 醫療健康\n",
    );
    std::fs::write(site.path().join("site.yaml"), yaml).expect("written");
    let (_, yml) = request(server.addr, "GET /admin/config.yml", &host, None, b"");
    assert!(yml.contains("label: 醫療健康"), "{yml}");
    let (_, page) = request(server.addr, "GET /admin/", &host, None, b"");
    assert!(
        page.contains("<script src=\"/decap/decap-cms.js\"></script>"),
        "{page}"
    );
    server.stop().expect("stops");
}

#[test]
fn a_save_is_the_file_new_writes_and_both_scripts_show_it() {
    let site = fixture("basic");
    let server = serve(site.path());
    let (status, info) = act(&server, "info", json!({}));
    assert_eq!((status, info["type"].as_str()), (200, Some("local_fs")));
    // As Decap's YAML writer lays it out: its own key order, a block list.
    let raw = "---\ntitle: 軟件發展\nslug: cms-article\ndate: 2026-12-06\ndraft: true\n\
               topics:\n  - science\n  - economy\nsubtitle: ''\n---\n數碼港的軟件發展。\n\n第二段。\n";
    let (status, answer) = save(&server, "content/cms-article.md", raw);
    assert_eq!(status, 200, "{answer}");
    let written =
        std::fs::read_to_string(site.path().join("content/cms-article.md")).expect("saved");
    let new = jianfan::commands::new::new_article(
        "軟件發展",
        &["science".into(), "economy".into()],
        "2026-12-06",
    )
    .expect("new");
    assert_eq!(written, format!("{new}數碼港的軟件發展。\n\n第二段。\n"));
    // The watcher rebuilds: both scripts' pages, and the preview.
    served_with(
        &server,
        "/zh-hant/articles/cms-article/",
        "數碼港的軟件發展",
    );
    served_with(
        &server,
        "/zh-hans/articles/cms-article/",
        "数码港的软件发展",
    );
    served_with(&server, "/_preview/cms-article/", "软件发展");
    // Read back, the form shows the slug and carries the file's version;
    // the file holds neither.
    let version = version_of(&server, "content/cms-article.md");
    let (_, entry) = act(
        &server,
        "getEntry",
        json!({ "path": "content/cms-article.md" }),
    );
    let form = format!("---\nversion: {version}\nslug: cms-article\ntitle: 軟件發展\n");
    assert!(
        entry["data"].as_str().expect("data").starts_with(&form),
        "{entry}"
    );
    let report = jianfan::commands::check::check(site.path(), &jianfan::convert::default_engine());
    assert!(
        !report.has_errors(),
        "{}",
        report.to_text(site.path(), false)
    );
    server.stop().expect("stops");
}

#[test]
fn view_live_previews_a_draft_the_served_site_leaves_out() {
    let site = fixture("basic");
    let server = serve_with_drafts(site.path(), false);
    let raw =
        "---\ntitle: 草稿文章\nslug: a-draft\ndate: 2025-03-05\ndraft: true\n---\n軟件草稿。\n";
    assert_eq!(save(&server, "content/a-draft.md", raw).0, 200);
    let preview = served_with(&server, "/_preview/a-draft/", "软件草稿");
    assert!(preview.contains("軟件草稿"), "{preview}");
    let host = server.addr.to_string();
    let (status, _) = request(
        server.addr,
        "GET /zh-hant/articles/a-draft/",
        &host,
        None,
        b"",
    );
    assert_eq!(status, 404, "the draft is not on the served site");
    let (status, _) = request(
        server.addr,
        "GET /_preview/no-such-draft/",
        &host,
        None,
        b"",
    );
    assert_eq!(status, 404);
    server.stop().expect("stops");
}

#[test]
fn saves_that_would_not_build_are_refused_in_chinese_and_write_nothing() {
    let site = fixture("basic");
    let server = serve(site.path());
    let before = snapshot(&site.path().join("content"));
    // A bad date and an unknown topic in one file: the date first, as
    // `check` reports it; with the date fixed, the topic.
    let raw = "---\ntitle: 標題\ndate: 2026-02-30\ntopics: [sceince]\n---\n正文。\n";
    let (status, answer) = save(&server, "content/bad-date.md", raw);
    assert_eq!(status, 422);
    let error = answer["error"].as_str().expect("error");
    assert!(error.contains("「2026-02-30」不是真實的日期"), "{error}");
    assert!(error.contains("content/bad-date.md:4:7"), "{error}");
    let (status, answer) = save(
        &server,
        "content/bad-date.md",
        &raw.replace("02-30", "02-28"),
    );
    assert_eq!(status, 422);
    let error = answer["error"].as_str().expect("error");
    assert!(
        error.contains("「sceince」不是 site.yaml 裏的專題"),
        "{error}"
    );
    assert!(error.contains("科學發現、經濟發展"), "{error}");
    // A name that is not a URL, and a new article over an existing one.
    let good = "---\ntitle: 標題\ndate: 2026-02-28\n---\n正文。\n";
    let (status, answer) = save(&server, "content/Economy_Three.md", good);
    assert_eq!(status, 422);
    assert!(answer["error"]
        .as_str()
        .expect("e")
        .contains("網址名稱「Economy_Three」不能用作網址"));
    let (status, answer) = save(&server, "content/economy-one.md", good);
    assert_eq!(status, 409);
    assert!(answer["error"]
        .as_str()
        .expect("e")
        .contains("已有文章使用網址名稱「economy-one」"));
    assert_eq!(
        snapshot(&site.path().join("content")),
        before,
        "nothing written"
    );

    // Opened in the CMS, then changed on disk (a text editor, git): the
    // form's save does not overwrite it.
    let path = site.path().join("content/economy-two.md");
    let form = |version: &str, title: &str| {
        format!("---\nversion: {version}\ntitle: {title}\ndate: 2025-03-04\ntopics: [economy]\n---\n{title}的正文。\n")
    };
    let opened = version_of(&server, "content/economy-two.md");
    let theirs = std::fs::read_to_string(&path)
        .expect("read")
        .replace("第二篇", "第二篇（改）");
    std::fs::write(&path, &theirs).expect("their change");
    let (status, answer) = save(
        &server,
        "content/economy-two.md",
        &form(&opened, "我的版本"),
    );
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"]
        .as_str()
        .expect("e")
        .contains("在你開啟後已被修改"));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
    // Opened again, the same save goes through.
    let reopened = version_of(&server, "content/economy-two.md");
    assert_eq!(
        save(
            &server,
            "content/economy-two.md",
            &form(&reopened, "我的版本")
        )
        .0,
        200
    );
    assert!(std::fs::read_to_string(&path)
        .expect("read")
        .contains("title: 我的版本\n"));
    // Two editors (or two tabs) open it; the first saves; the second's
    // save, filled from the older file, is refused.
    let both = version_of(&server, "content/economy-two.md");
    assert_eq!(
        save(&server, "content/economy-two.md", &form(&both, "甲的版本")).0,
        200
    );
    let (status, _) = save(&server, "content/economy-two.md", &form(&both, "乙的版本"));
    assert_eq!(status, 409);
    assert!(std::fs::read_to_string(&path)
        .expect("read")
        .contains("title: 甲的版本\n"));
    server.stop().expect("stops");
}

#[test]
fn the_api_answers_only_the_served_origin_and_writes_only_its_two_folders() {
    let site = fixture("basic");
    let outside = tempfile::tempdir().expect("outside");
    let server = serve(site.path());
    let host = server.addr.to_string();
    let body = json!({ "action": "info", "params": {} }).to_string();
    let post = |host: &str, origin: Option<&str>| {
        request(server.addr, "POST /api/v1", host, origin, body.as_bytes()).0
    };
    let origin = format!("http://{host}");
    assert_eq!(post(&host, Some(&origin)), 200);
    assert_eq!(post(&host, None), 200, "a local tool without Origin");
    assert_eq!(post(&host, Some("http://evil.example")), 403);
    let port = server.addr.port();
    assert_eq!(
        post(&format!("evil.example:{port}"), None),
        403,
        "DNS rebinding"
    );
    assert_eq!(
        post(
            &format!("localhost:{port}"),
            Some(&format!("http://localhost:{port}"))
        ),
        200
    );

    let good = "---\ntitle: 標題\ndate: 2026-02-28\n---\n正文。\n";
    for path in [
        "content/../site.yaml",
        "../outside.md",
        "/etc/passwd.md",
        &format!("{}/x.md", outside.path().display()),
        "content/.git/x.md",
        "content/_aside/x.md",
        "content/a/b/c/d/e/x.md",
        "templates/base.html",
        "content/economy-one.zh-hans.md",
        "content\\..\\x.md",
    ] {
        let (status, answer) = save(&server, path, good);
        assert_eq!(status, 403, "{path}: {answer}");
        assert!(
            answer["error"].as_str().expect("e").starts_with("不可寫入"),
            "{answer}"
        );
    }
    // A link in content/ to a file outside the site, and content/ itself a
    // link out of it: neither is written through.
    #[cfg(unix)]
    {
        let target = outside.path().join("target.md");
        std::fs::write(&target, "outside").expect("written");
        std::os::unix::fs::symlink(&target, site.path().join("content/linked.md")).expect("link");
        let (status, _) = save(&server, "content/linked.md", good);
        assert_eq!(status, 403);
        let (status, _) = act(
            &server,
            "deleteFile",
            json!({ "path": "content/linked.md" }),
        );
        assert_eq!(status, 403);
        assert_eq!(std::fs::read_to_string(&target).expect("kept"), "outside");
        let photos = site.path().join("static/images");
        let _ = std::fs::remove_dir_all(&photos);
        std::os::unix::fs::symlink(outside.path(), &photos).expect("link");
        let png = jianfan_png();
        let asset = json!({ "asset": { "path": "static/images/a.png", "content": png, "encoding": "base64" } });
        let (status, _) = act(&server, "persistMedia", asset);
        assert_eq!(status, 403);
        assert!(!outside.path().join("a.png").exists());
        std::fs::remove_file(&photos).expect("unlinked");
    }
    // A body over the limit is refused unread.
    let huge = vec![b' '; jianfan::commands::serve::cms::MAX_API_BODY + 1];
    let (status, _) = request(server.addr, "POST /api/v1", &host, Some(&origin), &huge);
    assert_eq!(status, 413);
    server.stop().expect("stops");
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A 1×1 PNG, base64.
fn jianfan_png() -> String {
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==".to_string()
}

#[test]
fn lists_newest_first_capped_without_variants_and_media_round_trips() {
    let site = fixture("basic");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    std::fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}\ncms:\n  list_limit: 3\n"),
    )
    .expect("w");
    std::fs::write(
        site.path().join("content/economy-one.zh-hans.md"),
        "---\ntitle: 经济转型第一篇\ndate: 2025-03-03\n---\n\n手改。\n",
    )
    .expect("variant");
    let server = serve(site.path());
    let (status, listed) = act(
        &server,
        "entriesByFolder",
        json!({ "folder": "content", "extension": "md", "depth": 1 }),
    );
    assert_eq!(status, 200);
    let paths: Vec<&str> = (listed.as_array().expect("list").iter())
        .map(|e| e["file"]["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(paths.iter().all(|p| !p.contains(".zh-hans.")), "{paths:?}");
    let dates: Vec<String> = (listed.as_array().expect("list").iter())
        .map(|e| {
            let data = e["data"].as_str().expect("data");
            data.lines()
                .find_map(|l| l.strip_prefix("date: "))
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");

    let asset = json!({ "asset": { "path": "static/images/新聞圖.png", "content": jianfan_png(), "encoding": "base64" } });
    let (status, saved) = act(&server, "persistMedia", asset.clone());
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["path"], "static/images/新聞圖.png");
    assert!(site.path().join("static/images/新聞圖.png").exists());
    let (status, _) = act(&server, "persistMedia", asset.clone());
    assert_eq!(status, 200, "the same photo again is no change");
    let mut other = asset;
    other["asset"]["content"] = json!(base64_of(&plain_jpeg(10, 10)));
    let (status, _) = act(&server, "persistMedia", other);
    assert_eq!(status, 409, "a published photo is not replaced by another");
    let (_, media) = act(
        &server,
        "getMedia",
        json!({ "mediaFolder": "static/images" }),
    );
    assert_eq!(media[0]["content"], jianfan_png());
    let pdf = json!({ "asset": { "path": "static/images/a.pdf", "content": "JVBERg==", "encoding": "base64" } });
    assert_eq!(act(&server, "persistMedia", pdf).0, 403);
    let (status, _) = act(
        &server,
        "deleteFiles",
        json!({ "paths": ["static/images/新聞圖.png", "content/economy-one.md"] }),
    );
    assert_eq!(status, 200);
    assert!(!site.path().join("static/images/新聞圖.png").exists());
    assert!(!site.path().join("content/economy-one.md").exists());
    server.stop().expect("stops");
}
