//! Merging Pagefind bundles into one, file by file, without indexing again.
//!
//! Pagefind indexes in memory: about 0.4 MB per article until its files are
//! written (4.0 GB for one index of 8,000 generated articles, BENCHMARKS.md),
//! so a large index cannot be built by Pagefind in one go within a bounded
//! memory. jianfan has Pagefind index small *blocks* of articles and merges
//! the blocks' finished files into a *tier* here. The merge reads Pagefind
//! 1.6's own formats (CBOR behind a gzip and a `pagefind_dcd` signature) and
//! writes what Pagefind would have written for all the blocks' pages at once:
//!
//! - pages are numbered block after block, so every page number of block `b`
//!   moves up by the pages of the blocks before it;
//! - the word lists, sorted, are merged word by word and cut into chunks by
//!   Pagefind's own rule (20,000 locations), one block chunk at a time, so
//!   memory stays at a few chunks whatever the tier's size;
//! - filters and sort orders are joined (blocks are oldest first and each is
//!   sorted, so the joined date order is the order of the whole);
//! - fragment files are copied; a name two different pages share (Pagefind's
//!   names are 7 hex digits of a hash) is made unique.
//!
//! `tests` check that a merge finds what one index of the same records finds.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};

use anyhow::{bail, Context, Result};
use minicbor::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::Bundle;

/// What Pagefind writes before the CBOR of every compressed file.
const SIGNATURE: &[u8] = b"pagefind_dcd";
/// The file a reader's browser loads first, naming the metadata file.
pub const ENTRY: &str = "pagefind-entry.json";
/// The one language jianfan indexes in (`force_language("zh")`).
const LANGUAGE: &str = "zh";
/// Pagefind's `default_index_chunk_size`: a chunk ends once its words hold
/// this many locations.
const CHUNK_SIZE: usize = 20_000;

/// `pagefind.<hash>.pf_meta`: the pages, the chunks' word ranges, the
/// filters and sorts (Pagefind's `MetaIndex`).
#[derive(Encode, Decode, Debug)]
struct Meta {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage>,
    #[n(2)]
    index_chunks: Vec<MetaChunk>,
    #[n(3)]
    filters: Vec<MetaFilter>,
    #[n(4)]
    sorts: Vec<MetaSort>,
    #[n(5)]
    meta_fields: Vec<String>,
}

#[derive(Encode, Decode, Debug, Clone, PartialEq)]
struct MetaChunk {
    #[n(0)]
    from: String,
    #[n(1)]
    to: String,
    #[n(2)]
    hash: String,
}

#[derive(Encode, Decode, Debug, Clone)]
struct MetaPage {
    #[n(0)]
    hash: String,
    #[n(1)]
    word_count: u32,
    #[n(2)]
    group_hash: String,
}

#[derive(Encode, Decode, Debug)]
struct MetaFilter {
    #[n(0)]
    filter: String,
    #[n(1)]
    hash: String,
}

#[derive(Encode, Decode, Debug)]
struct MetaSort {
    #[n(0)]
    sort: String,
    #[n(1)]
    pages: Vec<usize>,
}

/// `index/<hash>.pf_index`: words in byte order, each with its pages.
#[derive(Encode, Decode, Debug)]
struct WordChunk {
    #[n(0)]
    words: Vec<Word>,
}

#[derive(Encode, Decode, Debug, Clone, PartialEq)]
struct Word {
    #[n(0)]
    word: String,
    /// In the file, each page number is the difference from the one before.
    #[n(1)]
    pages: Vec<Page>,
    #[n(2)]
    additional_variants: Vec<Variant>,
}

#[derive(Encode, Decode, Debug, Clone, PartialEq)]
struct Variant {
    #[n(0)]
    form: String,
    #[n(1)]
    pages: Vec<Page>,
}

#[derive(Encode, Decode, Debug, Clone, PartialEq)]
struct Page {
    #[n(0)]
    page_number: usize,
    #[n(1)]
    locs: Vec<i32>,
    /// Locations in metadata fields; a negative entry `-(id + 1)` switches
    /// to field `id` of [`Meta::meta_fields`].
    #[n(2)]
    meta_locs: Vec<i32>,
}

/// `filter/<hash>.pf_filter`: one filter's values and their pages.
#[derive(Encode, Decode, Debug)]
struct FilterChunk {
    #[n(0)]
    filter: String,
    #[n(1)]
    values: Vec<FilterValue>,
}

#[derive(Encode, Decode, Debug)]
struct FilterValue {
    #[n(0)]
    value: String,
    #[n(1)]
    pages: Vec<usize>,
}

/// `pagefind-entry.json`.
#[derive(Serialize, Deserialize, Debug)]
struct Entry {
    version: String,
    languages: BTreeMap<String, EntryLanguage>,
    include_characters: Vec<char>,
}

#[derive(Serialize, Deserialize, Debug)]
struct EntryLanguage {
    hash: String,
    wasm: Option<String>,
    page_count: usize,
}

/// One bundle, opened.
struct Opened<'a> {
    files: &'a Bundle,
    entry: Entry,
    meta: Meta,
}

impl<'a> Opened<'a> {
    /// The bundle opened, or `None` for an index of no pages (Pagefind
    /// writes no language then).
    fn open(files: &'a Bundle) -> Result<Option<Self>> {
        let entry: Entry =
            serde_json::from_slice(file(files, ENTRY)?).context("cannot read the entry file")?;
        let Some(language) = entry.languages.get(LANGUAGE) else {
            return Ok(None);
        };
        let meta: Meta = decode(file(files, &format!("pagefind.{}.pf_meta", language.hash))?)?;
        if meta.pages.iter().any(|page| !page.group_hash.is_empty()) {
            bail!("the index groups its fragments, which merging does not support");
        }
        Ok(Some(Opened { files, entry, meta }))
    }
}

/// `name`'s bytes in `files` (sorted by name).
fn file<'a>(files: &'a Bundle, name: &str) -> Result<&'a [u8]> {
    files
        .binary_search_by(|(path, _)| path.as_str().cmp(name))
        .map(|i| files[i].1.as_slice())
        .map_err(|_| anyhow::anyhow!("the index has no {name}"))
}

/// The CBOR inside a compressed Pagefind file.
fn decode<T: for<'b> Decode<'b, ()>>(compressed: &[u8]) -> Result<T> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(compressed)
        .read_to_end(&mut bytes)
        .context("cannot decompress an index file")?;
    let Some(cbor) = bytes.strip_prefix(SIGNATURE) else {
        bail!("an index file lacks Pagefind's signature");
    };
    minicbor::decode(cbor).map_err(|e| anyhow::anyhow!("cannot decode an index file: {e}"))
}

/// `value` as a compressed Pagefind file, and a name for it from its bytes.
fn encode<T: Encode<()>>(value: &T) -> Result<(String, Vec<u8>)> {
    let cbor = minicbor::to_vec(value).map_err(|e| anyhow::anyhow!("cannot encode: {e}"))?;
    let name = format!(
        "{LANGUAGE}_{}",
        &blake3::hash(&cbor).to_hex().as_str()[..10]
    );
    // zlib's default level: within 2% of the best (Pagefind's) in size, and
    // merging a tier at the best level took 6.5 s instead of 2 s (BENCHMARKS.md).
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(SIGNATURE)?;
    gz.write_all(&cbor)?;
    Ok((name, gz.finish()?))
}

/// One bundle of the pages of all of `bundles`, in their order (oldest
/// first: the joined sort orders assume it). Bundles without pages add
/// nothing; with one bundle that has pages, it is the answer as it is.
pub fn merge(bundles: &[Bundle]) -> Result<Bundle> {
    let opened: Vec<Option<Opened<'_>>> =
        bundles.iter().map(Opened::open).collect::<Result<_>>()?;
    let mut opened: Vec<Opened<'_>> = opened
        .into_iter()
        .flatten()
        .filter(|b| !b.meta.pages.is_empty())
        .collect();
    match opened.len() {
        0 => return Ok(bundles.first().cloned().unwrap_or_default()),
        1 => return Ok(opened.remove(0).files.clone()),
        _ => {}
    }
    let mut out: BTreeMap<String, Vec<u8>> = shared_files(&opened[0]);
    let (fields, field_maps) = merged_fields(&opened);
    let (pages, offsets) = merged_pages(&opened, &mut out)?;
    let sorts = merged_sorts(&opened, &offsets);
    let filters = merged_filters(&opened, &offsets, &mut out)?;
    let index_chunks = merged_words(&opened, &offsets, &field_maps, &mut out)?;
    let meta = Meta {
        version: opened[0].meta.version.clone(),
        pages,
        index_chunks,
        filters,
        sorts,
        meta_fields: fields,
    };
    let page_count = meta.pages.len();
    let (hash, bytes) = encode(&meta)?;
    out.insert(format!("pagefind.{hash}.pf_meta"), bytes);
    let first = &opened[0].entry;
    let entry = Entry {
        version: first.version.clone(),
        languages: BTreeMap::from([(
            LANGUAGE.to_string(),
            EntryLanguage {
                hash,
                wasm: first.languages.get(LANGUAGE).and_then(|l| l.wasm.clone()),
                page_count,
            },
        )]),
        include_characters: first.include_characters.clone(),
    };
    out.insert(ENTRY.to_string(), serde_json::to_vec(&entry)?);
    Ok(out.into_iter().collect())
}

/// The script, its worker, WebAssembly and UI files: the same in every
/// bundle of one Pagefind version, so taken from the first.
fn shared_files(first: &Opened<'_>) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for (name, bytes) in first.files {
        let indexed = name == ENTRY
            || name.ends_with(".pf_meta")
            || ["index/", "fragment/", "filter/"]
                .iter()
                .any(|folder| name.starts_with(folder));
        if !indexed {
            out.insert(name.clone(), bytes.clone());
        }
    }
    out
}

/// Metadata fields, numbered anew, and each bundle's numbers mapped to them.
fn merged_fields(opened: &[Opened<'_>]) -> (Vec<String>, Vec<Vec<i32>>) {
    let fields: Vec<String> = (opened.iter())
        .flat_map(|b| b.meta.meta_fields.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let field_maps: Vec<Vec<i32>> = (opened.iter())
        .map(|b| {
            (b.meta.meta_fields.iter())
                .map(|f| fields.iter().position(|g| g == f).unwrap_or(0) as i32)
                .collect()
        })
        .collect();
    (fields, field_maps)
}

/// Pages and their fragments, bundle after bundle; with the number of the
/// first page of each bundle.
fn merged_pages(
    opened: &[Opened<'_>],
    out: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(Vec<MetaPage>, Vec<usize>)> {
    let mut pages: Vec<MetaPage> = Vec::new();
    let mut offsets = Vec::new();
    for (number, bundle) in opened.iter().enumerate() {
        offsets.push(pages.len());
        for page in &bundle.meta.pages {
            let bytes = file(bundle.files, &fragment(&page.hash))?;
            let mut hash = page.hash.clone();
            // The same name for another page: a new name (the same name
            // and bytes is the same page text, which may share its file).
            while out.get(&fragment(&hash)).is_some_and(|b| b != bytes) {
                hash = format!("{hash}{number}");
            }
            out.insert(fragment(&hash), bytes.to_vec());
            pages.push(MetaPage {
                hash,
                word_count: page.word_count,
                group_hash: String::new(),
            });
        }
    }
    Ok((pages, offsets))
}

/// Sort orders: joined, as the bundles are in order.
fn merged_sorts(opened: &[Opened<'_>], offsets: &[usize]) -> Vec<MetaSort> {
    (opened[0].meta.sorts.iter())
        .filter_map(|first| {
            let mut joined = Vec::new();
            for (bundle, offset) in opened.iter().zip(offsets) {
                let sort = bundle.meta.sorts.iter().find(|s| s.sort == first.sort)?;
                joined.extend(sort.pages.iter().map(|p| p + offset));
            }
            Some(MetaSort {
                sort: first.sort.clone(),
                pages: joined,
            })
        })
        .collect()
}

/// Filters: each value's pages, joined.
fn merged_filters(
    opened: &[Opened<'_>],
    offsets: &[usize],
    out: &mut BTreeMap<String, Vec<u8>>,
) -> Result<Vec<MetaFilter>> {
    let mut filter_values: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for (bundle, offset) in opened.iter().zip(offsets) {
        for filter in &bundle.meta.filters {
            let chunk: FilterChunk = decode(file(
                bundle.files,
                &format!("filter/{}.pf_filter", filter.hash),
            )?)?;
            let values = filter_values.entry(chunk.filter).or_default();
            for value in chunk.values {
                let pages = values.entry(value.value).or_default();
                pages.extend(value.pages.iter().map(|p| p + offset));
            }
        }
    }
    let mut filters = Vec::new();
    for (filter, values) in filter_values {
        let chunk = FilterChunk {
            filter: filter.clone(),
            values: (values.into_iter())
                .map(|(value, pages)| FilterValue { value, pages })
                .collect(),
        };
        let (hash, bytes) = encode(&chunk)?;
        out.insert(format!("filter/{hash}.pf_filter"), bytes);
        filters.push(MetaFilter { filter, hash });
    }
    Ok(filters)
}

/// Words: a merge of the sorted word lists, chunk by chunk; returns the
/// chunks' entries for the metadata.
fn merged_words(
    opened: &[Opened<'_>],
    offsets: &[usize],
    field_maps: &[Vec<i32>],
    out: &mut BTreeMap<String, Vec<u8>>,
) -> Result<Vec<MetaChunk>> {
    let mut streams: Vec<Words<'_>> = (opened.iter().zip(offsets).zip(field_maps))
        .map(|((bundle, &offset), fields)| Words::new(bundle, offset, fields))
        .collect();
    let mut heads: Vec<Option<Word>> = (streams.iter_mut())
        .map(Words::next_word)
        .collect::<Result<_>>()?;
    let mut chunks = Chunker::default();
    while let Some(least) = heads.iter().flatten().map(|w| &w.word).min().cloned() {
        let mut merged: Option<Word> = None;
        for (head, stream) in heads.iter_mut().zip(streams.iter_mut()) {
            if head.as_ref().is_some_and(|w| w.word == least) {
                let word = head.take().expect("just checked");
                *head = stream.next_word()?;
                merged = Some(match merged {
                    None => word,
                    Some(before) => join(before, word),
                });
            }
        }
        chunks.push(merged.expect("the least word is some bundle's head"), out)?;
    }
    chunks.finish(out)
}

fn fragment(hash: &str) -> String {
    format!("fragment/{hash}.pf_fragment")
}

/// `later`'s pages after `earlier`'s: the same word in a newer bundle.
fn join(mut earlier: Word, later: Word) -> Word {
    earlier.pages.extend(later.pages);
    for variant in later.additional_variants {
        match (earlier.additional_variants.iter_mut()).find(|v| v.form == variant.form) {
            Some(existing) => existing.pages.extend(variant.pages),
            None => earlier.additional_variants.push(variant),
        }
    }
    earlier
}

/// One bundle's words in order, with page numbers absolute in the merged
/// index and metadata fields renumbered; one chunk decoded at a time.
struct Words<'a> {
    bundle: &'a Opened<'a>,
    offset: usize,
    fields: &'a [i32],
    next_chunk: usize,
    words: std::vec::IntoIter<Word>,
}

impl<'a> Words<'a> {
    fn new(bundle: &'a Opened<'a>, offset: usize, fields: &'a [i32]) -> Self {
        Words {
            bundle,
            offset,
            fields,
            next_chunk: 0,
            words: Vec::new().into_iter(),
        }
    }

    fn next_word(&mut self) -> Result<Option<Word>> {
        loop {
            if let Some(mut word) = self.words.next() {
                self.place(&mut word.pages);
                for variant in &mut word.additional_variants {
                    self.place(&mut variant.pages);
                }
                return Ok(Some(word));
            }
            let Some(chunk) = self.bundle.meta.index_chunks.get(self.next_chunk) else {
                return Ok(None);
            };
            self.next_chunk += 1;
            let name = format!("index/{}.pf_index", chunk.hash);
            let chunk: WordChunk = decode(file(self.bundle.files, &name)?)?;
            self.words = chunk.words.into_iter();
        }
    }

    /// Differences to page numbers in the merged index; field numbers to
    /// the merged index's.
    fn place(&self, pages: &mut [Page]) {
        let mut number = 0;
        for page in pages {
            number += page.page_number;
            page.page_number = number + self.offset;
            for loc in &mut page.meta_locs {
                if *loc < 0 {
                    let field = (-*loc - 1) as usize;
                    *loc = -(self.fields.get(field).copied().unwrap_or(0)) - 1;
                }
            }
        }
    }
}

/// Cuts words into chunks as Pagefind does and writes them, compressing
/// [`CHUNKS_AT_ONCE`] at a time side by side (compression is most of a
/// merge's time).
#[derive(Default)]
struct Chunker {
    words: Vec<Word>,
    size: usize,
    /// Chunks cut but not yet written.
    cut: Vec<Vec<Word>>,
    chunks: Vec<MetaChunk>,
}

/// Chunks compressed side by side; a few MB of words in memory at most.
const CHUNKS_AT_ONCE: usize = 64;

impl Chunker {
    fn push(&mut self, word: Word, out: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
        self.size += (word.pages.iter())
            .chain(word.additional_variants.iter().flat_map(|v| &v.pages))
            .map(|p| p.locs.len() + p.meta_locs.len() + 1)
            .sum::<usize>()
            + word.additional_variants.len();
        self.words.push(word);
        if self.size >= CHUNK_SIZE {
            self.cut.push(std::mem::take(&mut self.words));
            self.size = 0;
            if self.cut.len() >= CHUNKS_AT_ONCE {
                self.write(out)?;
            }
        }
        Ok(())
    }

    fn write(&mut self, out: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
        use rayon::prelude::*;
        let written: Vec<(MetaChunk, Vec<u8>)> = std::mem::take(&mut self.cut)
            .into_par_iter()
            .filter(|words| !words.is_empty())
            .map(|mut words| {
                let from = words[0].word.clone();
                let to = words[words.len() - 1].word.clone();
                for word in &mut words {
                    differences(&mut word.pages);
                    for variant in &mut word.additional_variants {
                        differences(&mut variant.pages);
                    }
                }
                let (hash, bytes) = encode(&WordChunk { words })?;
                Ok((MetaChunk { from, to, hash }, bytes))
            })
            .collect::<Result<_>>()?;
        for (chunk, bytes) in written {
            out.insert(format!("index/{}.pf_index", chunk.hash), bytes);
            self.chunks.push(chunk);
        }
        Ok(())
    }

    /// The chunks' word ranges, trimmed to the shortest prefixes that tell
    /// neighbours apart, as Pagefind's `chunk_meta` does: the browser picks
    /// the chunks of a query by these ranges.
    fn finish(mut self, out: &mut BTreeMap<String, Vec<u8>>) -> Result<Vec<MetaChunk>> {
        self.cut.push(std::mem::take(&mut self.words));
        self.write(out)?;
        let mut chunks = self.chunks;
        for i in 1..chunks.len() {
            let (a, b) = (chunks[i - 1].to.clone(), chunks[i].from.clone());
            let common = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
            let a_prefix: String = a.chars().take(common + 1).collect();
            let b_prefix: String = b.chars().take(common + 1).collect();
            if a_prefix >= chunks[i - 1].from {
                chunks[i - 1].to = a_prefix;
            }
            chunks[i].from = b_prefix;
        }
        Ok(chunks)
    }
}

/// Page numbers as differences from the one before, as the files hold them.
fn differences(pages: &mut [Page]) {
    let mut last = 0;
    for page in pages {
        let number = page.page_number;
        page.page_number = number - last;
        last = number;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::{index, Record};

    fn record(n: usize, text: &str, topic: &str) -> Record {
        Record::custom(
            &format!("articles/a{n}/"),
            text,
            &format!("標題{n}"),
            topic,
            &format!("2025-01-{:02}T00:00:00Z", n + 1),
        )
    }

    fn records() -> Vec<Record> {
        let texts = [
            "香港數碼港人工智能",
            "綠色科技 GreenTech 中心",
            "香港大學專利",
            "人工智能 香港",
            "彈熱製冷 技術",
            "數碼港 2222 初創",
            "香港 香港 香港",
            "GreenTech 香港",
        ];
        (texts.iter().enumerate())
            .map(|(n, text)| record(n, text, if n % 2 == 0 { "ai" } else { "green" }))
            .collect()
    }

    /// A page a word is on: its fragment's text, the word's locations in
    /// the text and in the metadata.
    type Posting = (String, Vec<i32>, Vec<i32>);

    /// Every word with the pages it is on.
    fn postings(files: &Bundle) -> BTreeMap<String, Vec<Posting>> {
        let opened = Opened::open(files).expect("opens").expect("has pages");
        let mut stream = Words::new(&opened, 0, &[]);
        let identity: Vec<i32> = (0..opened.meta.meta_fields.len() as i32).collect();
        stream.fields = &identity;
        let mut all = BTreeMap::new();
        while let Some(word) = stream.next_word().expect("reads") {
            let pages = (word.pages.iter())
                .map(|p| {
                    let page = &opened.meta.pages[p.page_number];
                    let text = file(files, &fragment(&page.hash)).expect("fragment");
                    let text = String::from_utf8_lossy(&gunzip(text)).to_string();
                    (text, p.locs.clone(), p.meta_locs.clone())
                })
                .collect();
            all.insert(word.word, pages);
        }
        all
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("gzip");
        out
    }

    #[test]
    fn merged_blocks_find_what_one_index_finds() {
        let all = records();
        let whole = index(all.clone()).expect("indexes");
        let blocks: Vec<Bundle> = (all.chunks(3))
            .map(|block| index(block.to_vec()).expect("indexes"))
            .collect();
        let merged = merge(&blocks).expect("merges");
        assert_eq!(postings(&merged), postings(&whole));
        assert!(postings(&merged).contains_key("greentech"));

        let open = |files| Opened::open(files).expect("opens").expect("has pages");
        let (merged, whole) = (open(&merged), open(&whole));
        assert_eq!(merged.meta.pages.len(), 8);
        assert_eq!(merged.entry.languages[LANGUAGE].page_count, 8);
        assert_eq!(merged.meta.meta_fields, whole.meta.meta_fields);
        // The date order of the whole, and the topics' pages.
        let order = |o: &Opened<'_>| o.meta.sorts[0].pages.clone();
        assert_eq!(order(&merged), order(&whole));
        let topics = |o: &Opened<'_>| {
            let chunk: FilterChunk = decode(
                file(
                    o.files,
                    &format!("filter/{}.pf_filter", o.meta.filters[0].hash),
                )
                .expect("filter"),
            )
            .expect("decodes");
            (chunk.values.into_iter())
                .map(|v| (v.value, v.pages))
                .collect::<Vec<_>>()
        };
        assert_eq!(topics(&merged), topics(&whole));
    }

    #[test]
    fn one_bundle_and_empty_ones_pass_through() {
        let block = index(records()[..2].to_vec()).expect("indexes");
        let empty = index(Vec::new()).expect("indexes");
        let merged = merge(&[empty.clone(), block.clone(), empty]).expect("merges");
        assert_eq!(merged, block);
    }

    #[test]
    fn a_damaged_bundle_is_an_error_not_a_panic() {
        let mut block = index(records()[..2].to_vec()).expect("indexes");
        let other = index(records()[2..4].to_vec()).expect("indexes");
        for (name, bytes) in &mut block {
            if name.ends_with(".pf_meta") {
                bytes.truncate(10);
            }
        }
        assert!(merge(&[block, other]).is_err());
    }
}
