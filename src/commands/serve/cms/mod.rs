//! The CMS in `serve`: `/admin/` (Decap CMS), its `config.yml` made from
//! site.yaml at each request, and Decap's local-backend protocol at
//! `/api/v1`, so an editor needs no Node, git or git host.
//!
//! The protocol is the one Decap's `decap-server` package speaks: a JSON
//! `POST {action, params}` per operation (list, read, save, delete, media).
//! What differs is what a save does: the article is rewritten by jianfan's
//! front-matter writer and checked as `check` checks it ([`crate::cms::entry`]),
//! a file changed on disk since the form was opened is not overwritten (each
//! form carries the version of the file it was filled from), and
//! only `content/<slug>.md` and `static/images/<name>` can be written. The
//! watcher then rebuilds and open previews reload, as for a save from an
//! editor.
//!
//! The API answers loopback peers only, and only requests whose `Host` is
//! the served address and whose `Origin`, when sent, is the served origin:
//! a web page elsewhere (or a DNS name rebound to 127.0.0.1) cannot post.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{json, Value};

use crate::cms::config::{admin_page, config_yml, Backend};
use crate::cms::entry::{checked_text, for_cms, from_cms, Refusal};
use crate::source::config::SiteConfig;

pub mod files;

use files::{hash, Area, Place};

/// The largest request the API takes: a 30-megapixel camera JPEG, in
/// base64, with room to spare. Larger bodies are refused unread (413).
pub const MAX_API_BODY: usize = 48 * 1024 * 1024;
/// The most photos the media library lists (each is sent whole).
const MEDIA_LISTED: usize = 60;

/// What the CMS's handlers share.
pub struct Cms {
    root: PathBuf,
    port: u16,
    /// Held while a save or a delete runs, so each is whole before the
    /// next looks at the files.
    writing: Mutex<()>,
}

/// The CMS's routes for the site at `root`, served at `addr`.
pub fn routes(root: &Path, addr: SocketAddr) -> Router {
    let cms = Arc::new(Cms {
        root: root.to_path_buf(),
        port: addr.port(),
        writing: Mutex::new(()),
    });
    Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(admin))
        .route("/admin/config.yml", get(config))
        .route(
            "/api/v1",
            post(api).layer(DefaultBodyLimit::max(MAX_API_BODY)),
        )
        .with_state(cms)
}

/// The served origin (`http://127.0.0.1:1111`) when the request comes from
/// this machine, to the served address, from a page of the served origin.
fn origin(cms: &Cms, peer: SocketAddr, headers: &HeaderMap) -> Result<String, Refusal> {
    let forbidden = |why: &str| Refusal::new(403, why.to_string());
    if !peer.ip().is_loopback() {
        return Err(forbidden("CMS 只接受本機的要求。"));
    }
    let host = (headers.get(header::HOST).and_then(|h| h.to_str().ok())).unwrap_or_default();
    let port = cms.port;
    let served = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    if !served.iter().any(|s| s == host) {
        return Err(forbidden("CMS 只接受寄往本伺服器位址的要求（Host 不符）。"));
    }
    let origin = format!("http://{host}");
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => Ok(origin),
        Some(Ok(sent)) if sent == origin => Ok(origin),
        Some(_) => Err(forbidden("CMS 只接受本網站頁面發出的要求（Origin 不符）。")),
    }
}

/// An error as Decap reads it: `{ "error": message }`.
fn refused(refusal: Refusal) -> Response {
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(json!({ "error": refusal.message }))).into_response()
}

/// site.yaml, or the refusal that says why the CMS cannot use it.
fn site_config(root: &Path) -> Result<SiteConfig, Refusal> {
    SiteConfig::load(root).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Refusal::new(
            500,
            format!("site.yaml 有錯，請先修正：\n{}", lines.join("\n")),
        )
    })
}

/// `/admin/`: the page that loads Decap.
async fn admin(
    State(cms): State<Arc<Cms>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    match origin(&cms, peer, &headers).and_then(|_| site_config(&cms.root)) {
        Ok(config) => Html(admin_page(&config)).into_response(),
        Err(refusal) => refused(refusal),
    }
}

/// `/admin/config.yml`, from site.yaml as it is now.
async fn config(
    State(cms): State<Arc<Cms>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let made = origin(&cms, peer, &headers).and_then(|origin| {
        let config = site_config(&cms.root)?;
        config_yml(&config, &Backend::Local { origin })
            .map_err(|e| Refusal::new(500, e.to_string()))
    });
    match made {
        Ok(yaml) => ([(header::CONTENT_TYPE, "text/yaml; charset=utf-8")], yaml).into_response(),
        Err(refusal) => refused(refusal),
    }
}

/// `POST /api/v1`: one action of Decap's local-backend protocol.
async fn api(
    State(cms): State<Arc<Cms>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refusal) = origin(&cms, peer, &headers) {
        return refused(refusal);
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refused(Refusal::new(400, "要求不是 JSON。"));
    };
    let action = request["action"].as_str().unwrap_or_default().to_string();
    let params = request["params"].clone();
    let answer = tokio::task::spawn_blocking(move || cms.act(&action, &params)).await;
    match answer {
        Ok(Ok(value)) => Json(value).into_response(),
        Ok(Err(refusal)) => refused(refusal),
        Err(_) => refused(Refusal::new(500, "伺服器處理要求時出錯。")),
    }
}

/// A string parameter, or a refusal naming it.
fn text<'a>(params: &'a Value, key: &str) -> Result<&'a str, Refusal> {
    params[key]
        .as_str()
        .ok_or_else(|| Refusal::new(422, format!("要求缺少參數 `{key}`。")))
}

impl Cms {
    /// Carries out `action`; the answer Decap expects, or a refusal.
    fn act(&self, action: &str, params: &Value) -> Result<Value, Refusal> {
        match action {
            "info" => Ok(json!({
                "repo": self.root.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                "publish_modes": ["simple"],
                "type": "local_fs",
            })),
            "entriesByFolder" => self.list(text(params, "folder")?),
            "entriesByFiles" => {
                let files = params["files"].as_array().cloned().unwrap_or_default();
                let paths = files.iter().map(|f| f["path"].as_str().unwrap_or_default());
                paths
                    .map(|path| self.entry(path))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::from)
            }
            "getEntry" => self.entry(text(params, "path")?),
            "persistEntry" => self.persist(params),
            "getMedia" => self.media(text(params, "mediaFolder")?),
            "getMediaFile" => {
                let place = Place::new(&self.root, text(params, "path")?, Area::Photo)?;
                media_file(&place)
            }
            "persistMedia" => self.persist_media(&params["asset"]),
            "deleteFile" => self.delete(&[text(params, "path")?]),
            "deleteFiles" => {
                let paths = params["paths"].as_array().cloned().unwrap_or_default();
                let paths: Vec<&str> = paths.iter().filter_map(Value::as_str).collect();
                self.delete(&paths)
            }
            "getDeployPreview" => Ok(Value::Null),
            "unpublishedEntries" => Ok(json!([])),
            other => Err(Refusal::new(422, format!("Unknown action {other}"))),
        }
    }

    fn one_at_a_time(&self) -> std::sync::MutexGuard<'_, ()> {
        self.writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// One article as Decap reads it, with the version its form carries.
    fn entry(&self, path: &str) -> Result<Value, Refusal> {
        let place = Place::new(&self.root, path, Area::Article)?;
        let Some(text) = place.read_text()? else {
            return Ok(json!({ "data": null, "file": { "path": path, "id": null } }));
        };
        let id = hash(text.as_bytes());
        Ok(json!({
            "data": for_cms(&text, place.slug(), &id),
            "file": { "path": place.relative, "id": id },
        }))
    }

    /// The articles of `content/`, newest first, at most `cms.list_limit`;
    /// hand-edited variants (`<slug>.<variant>.md`) are left out.
    fn list(&self, folder: &str) -> Result<Value, Refusal> {
        if folder.trim_end_matches('/') != crate::layout::CONTENT_DIR {
            return Ok(json!([]));
        }
        let limit = site_config(&self.root)?.cms.list_limit;
        let listed = files::newest_articles(&self.root, limit);
        listed
            .iter()
            .map(|path| self.entry(path))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::from)
    }

    /// `persistEntry`: the article checked, written whole, remembered.
    fn persist(&self, params: &Value) -> Result<Value, Refusal> {
        let files = match &params["dataFiles"] {
            Value::Array(files) => files.clone(),
            _ => vec![params["entry"].clone()],
        };
        let [file] = files.as_slice() else {
            return Err(Refusal::new(422, "一次只可儲存一篇文章。"));
        };
        let place = Place::new(&self.root, text(file, "path")?, Area::Article)?;
        let target = match file["newPath"].as_str() {
            Some(new_path) => Place::new(&self.root, new_path, Area::Article)?,
            None => place.clone(),
        };
        let config = site_config(&self.root)?;
        let _writing = self.one_at_a_time();
        let on_disk = place.read_text()?;
        let (fields, body, version) = from_cms(text(file, "raw")?, on_disk.as_deref())?;
        check_unchanged(&place, on_disk.as_deref(), version.as_deref())?;
        // A new article, or one given a new name, takes a slug no other
        // file of content/ has (in any sub-folder).
        if on_disk.is_none() || target.relative != place.relative {
            if let Some(other) = files::same_slug(&self.root, &target) {
                return Err(clash(&target, &other));
            }
        }
        let text = checked_text(Path::new(&target.relative), &fields, &body, &config)?;
        let assets = params["assets"].as_array().cloned().unwrap_or_default();
        let uploads: Vec<Option<(Place, Vec<u8>)>> = assets
            .iter()
            .map(|asset| self.upload(asset))
            .collect::<Result<_, _>>()?;
        target.write(text.as_bytes())?;
        if target.relative != place.relative {
            place.remove()?;
        }
        for (photo, bytes) in uploads.into_iter().flatten() {
            photo.write(&bytes)?;
        }
        Ok(json!({ "message": "entry persisted" }))
    }

    /// A photo Decap sends, checked: where it goes and its bytes; `None`
    /// when the very same file is already there (Decap may send a photo
    /// again with the article that shows it).
    fn upload(&self, asset: &Value) -> Result<Option<(Place, Vec<u8>)>, Refusal> {
        let place = Place::new(&self.root, text(asset, "path")?, Area::Photo)?;
        if asset["encoding"].as_str() != Some("base64") {
            return Err(Refusal::new(422, "圖片須以 base64 傳送。"));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text(asset, "content")?)
            .map_err(|_| Refusal::new(422, "圖片的 base64 內容有誤。"))?;
        if place.path.exists() {
            if place.read_bytes()? == bytes {
                return Ok(None);
            }
            return Err(Refusal::new(
                409,
                format!(
                    "已有同名圖片 {}。已發佈的圖片不會被覆寫，請把新圖片改名後再上載。",
                    place.relative
                ),
            ));
        }
        Ok(Some((place, bytes)))
    }

    /// `persistMedia`: a photo into `static/images/`, for the photos stage.
    fn persist_media(&self, asset: &Value) -> Result<Value, Refusal> {
        let _writing = self.one_at_a_time();
        let place = match self.upload(asset)? {
            Some((place, bytes)) => {
                place.write(&bytes)?;
                place
            }
            None => Place::new(&self.root, text(asset, "path")?, Area::Photo)?,
        };
        media_file(&place)
    }

    /// The newest photos of `static/images/`, whole.
    fn media(&self, folder: &str) -> Result<Value, Refusal> {
        if folder.trim_end_matches('/') != crate::cms::config::MEDIA_FOLDER {
            return Ok(json!([]));
        }
        let photos = files::newest_photos(&self.root, MEDIA_LISTED);
        let places = photos
            .iter()
            .map(|p| Place::new(&self.root, p, Area::Photo));
        places
            .map(|place| media_file(&place?))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::from)
    }

    /// `deleteFile(s)`: articles or photos, nothing else.
    fn delete(&self, paths: &[&str]) -> Result<Value, Refusal> {
        let _writing = self.one_at_a_time();
        let places: Vec<Place> = paths
            .iter()
            .map(|path| {
                Place::new(&self.root, path, Area::Article)
                    .or_else(|_| Place::new(&self.root, path, Area::Photo))
            })
            .collect::<Result<_, _>>()?;
        for place in &places {
            place.remove()?;
        }
        Ok(json!({ "message": format!("deleted {}", paths.join(", ")) }))
    }
}

/// A refusal for a new article whose name `other` already has.
fn clash(place: &Place, other: &str) -> Refusal {
    Refusal::new(
        409,
        format!(
            "已有文章使用網址名稱「{}」（{other}）。未有儲存：請改用另一個網址名稱。",
            place.slug(),
        ),
    )
}

/// Refuses a save over a file that changed on disk since its form was
/// filled from `version` (another editor's save, a text editor, git), and a
/// new article (no version) over an existing one.
fn check_unchanged(
    place: &Place,
    on_disk: Option<&str>,
    version: Option<&str>,
) -> Result<(), Refusal> {
    match (on_disk, version) {
        (None, None) => Ok(()),
        (Some(_), None) => Err(clash(place, &place.relative)),
        (Some(text), Some(id)) if hash(text.as_bytes()) == *id => Ok(()),
        _ => Err(Refusal::new(
            409,
            format!(
                "{} 在你開啟後已被修改或刪除（另一位編輯、文字編輯器或 git）。未有覆寫：請先複製你的修改，重新載入這篇文章，再貼上並儲存。",
                place.relative
            ),
        )),
    }
}

/// A photo as Decap's media library reads it.
fn media_file(place: &Place) -> Result<Value, Refusal> {
    let bytes = place.read_bytes()?;
    Ok(json!({
        "id": hash(&bytes),
        "content": base64::engine::general_purpose::STANDARD.encode(&bytes),
        "encoding": "base64",
        "path": place.relative,
        "name": place.name(),
    }))
}
