//! The release channels agree with each other: the platforms the release
//! workflow builds are the ones the GitHub Action downloads, named as
//! `.ci/package` names its archives, and README's recipes pin the version
//! this crate is. A user notices any mismatch as a 404 on the first run of
//! the Action or of a README recipe, long after the release was tagged.

use std::collections::BTreeSet;
use std::path::Path;

fn read(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(file: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&read(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The targets of the release workflow's archive matrix.
fn released_targets() -> BTreeSet<String> {
    let workflow = yaml(".github/workflows/release.yml");
    workflow["jobs"]["archives"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a matrix of targets")
        .iter()
        .map(|entry| entry["target"].as_str().expect("a target").to_string())
        .collect()
}

/// The script of the Action's step with this id.
fn action_step(id: &str) -> String {
    let action = yaml("action.yml");
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    let step = steps
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no step {id}"));
    step["run"].as_str().expect("a script").to_string()
}

#[test]
fn the_action_downloads_exactly_the_targets_the_workflow_releases() {
    let released = released_targets();
    assert_eq!(
        released,
        BTreeSet::from(
            [
                "aarch64-apple-darwin",
                "aarch64-unknown-linux-musl",
                "x86_64-apple-darwin",
                "x86_64-pc-windows-msvc",
                "x86_64-unknown-linux-musl",
            ]
            .map(String::from)
        ),
        "Linux (static musl) on x86_64 and aarch64, both Macs, Windows"
    );
    let fetch = action_step("fetch");
    let chosen: BTreeSet<String> = fetch
        .lines()
        .filter_map(|line| line.split_once(") target=").map(|(_, rest)| rest))
        .map(|rest| rest.split(' ').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(chosen, released, "the runners the Action maps to a target");
}

#[test]
fn the_action_and_binstall_name_archives_as_the_packaging_script_does() {
    let package = read(".ci/package");
    assert!(package.contains(r#"name="jianfan-v$version-$target""#));
    assert!(
        package.contains(r#"archive="$name.zip""#) && package.contains(r#"archive="$name.tar.xz""#)
    );
    let fetch = action_step("fetch");
    assert!(
        fetch.contains(r#"name="jianfan-$tag-$target""#) && fetch.contains(r#"tag="v${tag#v}""#)
    );
    let manifest = read("Cargo.toml");
    assert!(manifest.contains(
        r#"pkg-url = "{ repo }/releases/download/v{ version }/{ name }-v{ version }-{ target }{ archive-suffix }""#
    ));
    assert!(
        manifest.contains(r#"bin-dir = "{ name }-v{ version }-{ target }/{ bin }{ binary-ext }""#)
    );
    assert!(manifest.contains(
        "[package.metadata.binstall.overrides.x86_64-pc-windows-msvc]\npkg-fmt = \"zip\""
    ));
}

#[test]
fn readme_recipes_pin_this_version() {
    let version = env!("CARGO_PKG_VERSION");
    let readme = read("README.md");
    let pins = [
        "v=",                           // the download recipes
        "version: ",                    // the Action
        "ghcr.io/jianfan-ssg/jianfan:", // the GitLab image
    ];
    for pin in pins {
        let found: Vec<&str> = readme
            .match_indices(pin)
            .map(|(at, _)| {
                let rest = &readme[at + pin.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .unwrap_or(rest.len());
                &rest[..end]
            })
            .filter(|v| !v.is_empty())
            .collect();
        assert!(!found.is_empty(), "README pins no version after {pin:?}");
        assert!(
            found.iter().all(|v| *v == version),
            "README's {pin:?} pins {found:?}, the crate is {version}"
        );
    }
}
