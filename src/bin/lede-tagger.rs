//! The command-line driver for training, scoring and benchmarking the tagger:
//! `clusters`, `train`, `eval`, `bench` and `tag`.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use lede::ner::tagger::clusters::{self, ClusterConfig, Clusters};
use lede::ner::tagger::codec::{Reader, Writer};
use lede::ner::tagger::conll::{self, Document};
use lede::ner::tagger::text::tokenize;
use lede::ner::tagger::{Kind, Model, Tag, TrainConfig, evaluate, gazetteer, train};

const USAGE: &str = "usage:
  lede-tagger clusters [--bbc DIR] [--reuters DIR] [--conll FILE[,FILE]] [--text DIR|FILE[,...]] --out FILE
  lede-tagger train --train FILE[,FILE] [--dev FILE] --clusters FILE [--vectors FILE.tsv[.gz]] --places FILE --names FILE[,FILE] --out FILE
                    [--lowercase FILE[,FILE]]
                    [--epochs N] [--epochs2 N] [--no-second] [--seed N] [--augment lower,hyphen] [--lower-every N] [-v]
  lede-tagger eval (--model FILE | --pred FILE) --data FILE [--no-misc] [--errors FILE]
  lede-tagger bench --model FILE --data FILE [--seconds S] [--cold-rounds N]
  lede-tagger tag --model FILE   (reads one sentence per line from stdin)";

const CLUSTER_MAGIC: &[u8; 8] = b"LEDECLU\0";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lede-tagger: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Opts {
    values: HashMap<String, String>,
    flags: Vec<String>,
}

impl Opts {
    fn parse(args: &[String]) -> Result<Opts, String> {
        let mut values = HashMap::new();
        let mut flags = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if matches!(a.as_str(), "--no-second" | "--no-misc" | "-v") {
                flags.push(a.clone());
                i += 1;
            } else if let Some(name) = a.strip_prefix("--") {
                let v = args
                    .get(i + 1)
                    .ok_or_else(|| format!("--{name} needs a value"))?;
                values.insert(name.to_string(), v.clone());
                i += 2;
            } else {
                return Err(format!("unexpected argument {a:?}\n{USAGE}"));
            }
        }
        Ok(Opts { values, flags })
    }
    fn get(&self, name: &str) -> Result<&str, String> {
        self.values
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("missing --{name}\n{USAGE}"))
    }
    fn num(&self, name: &str, default: usize) -> Result<usize, String> {
        match self.values.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}")),
        }
    }
    fn flag(&self, f: &str) -> bool {
        self.flags.iter().any(|x| x == f)
    }
}

fn read_file(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn read_docs(paths: &str) -> Result<Vec<Document>, String> {
    let mut docs = Vec::new();
    for p in paths.split(',') {
        let bytes = read_file(p)?;
        let text = String::from_utf8_lossy(&bytes);
        let mut d = conll::read(&text).map_err(|e| format!("{p}: {e}"))?;
        for doc in &mut d {
            for s in &mut doc.sentences {
                conll::to_iob2(&mut s.tags);
            }
        }
        docs.extend(d);
    }
    Ok(docs)
}

fn run(args: &[String]) -> Result<(), String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(USAGE.into());
    };
    let o = Opts::parse(rest)?;
    match cmd.as_str() {
        "clusters" => cmd_clusters(&o),
        "train" => cmd_train(&o),
        "eval" => cmd_eval(&o),
        "bench" => cmd_bench(&o),
        "tag" => cmd_tag(&o),
        "show-clusters" => {
            let c = load_clusters(o.get("clusters")?)?;
            let bits = o.num("bits", 10)? as u8;
            for w in o.get("words")?.split(',') {
                let Some(p) = c.get(w) else {
                    println!("{w}: none");
                    continue;
                };
                let same: Vec<&str> = c
                    .iter()
                    .filter(|(_, q)| Clusters::prefix(*q, bits) == Clusters::prefix(p, bits))
                    .map(|(w, _)| w)
                    .take(25)
                    .collect();
                println!(
                    "{w} depth {} ({} words share {bits} bits): {}",
                    p.1,
                    c.iter()
                        .filter(|(_, q)| Clusters::prefix(*q, bits) == Clusters::prefix(p, bits))
                        .count(),
                    same.join(" ")
                );
            }
            Ok(())
        }
        _ => Err(USAGE.into()),
    }
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// The text of each `<TITLE>` and `<BODY>` element, with entities decoded.
fn reuters_texts(sgml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [("<TITLE>", "</TITLE>"), ("<BODY>", "</BODY>")] {
        let mut rest = sgml;
        while let Some(a) = rest.find(open) {
            let after = &rest[a + open.len()..];
            let Some(b) = after.find(close) else { break };
            let body = &after[..b];
            let mut t = body
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            while let Some(s) = t.find("&#") {
                let end = t[s..].find(';').map_or(t.len(), |e| s + e + 1);
                t.replace_range(s..end, " ");
            }
            out.push(t.replace(" Reuter\n", "\n"));
            rest = &after[b..];
        }
    }
    out
}

/// The text of every file with extension `ext` under `path` (a folder or one
/// file), read as UTF-8 with bad bytes replaced.
fn texts_of(path: &Path, ext: &str) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    if path.is_dir() {
        files_under(path, &mut files)?;
    } else {
        files.push(path.to_path_buf());
    }
    files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == ext))
        .map(|f| {
            std::fs::read(f)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| format!("{}: {e}", f.display()))
        })
        .collect()
}

/// The lines of every `.txt` file under `dir` (a folder or one file), one
/// sentence list each.
fn text_lines(dir: &str, sents: &mut Vec<Vec<String>>) -> Result<(), String> {
    for text in texts_of(Path::new(dir), "txt")? {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            sents.push(tokenize(line).into_iter().map(str::to_string).collect());
        }
    }
    Ok(())
}

fn cmd_clusters(o: &Opts) -> Result<(), String> {
    let t0 = Instant::now();
    let mut sents: Vec<Vec<String>> = Vec::new();
    // Plain text: the BBC folders, and any other folders or files of text.
    for dirs in [o.values.get("bbc"), o.values.get("text")]
        .into_iter()
        .flatten()
    {
        for dir in dirs.split(',') {
            text_lines(dir, &mut sents)?;
        }
    }
    if let Some(dir) = o.values.get("reuters") {
        for text in texts_of(Path::new(dir), "sgm")? {
            for t in reuters_texts(&text) {
                sents.push(tokenize(&t).into_iter().map(str::to_string).collect());
            }
        }
    }
    if let Some(files) = o.values.get("conll") {
        for d in read_docs(files)? {
            for s in d.sentences {
                sents.push(s.tokens);
            }
        }
    }
    if sents.is_empty() {
        return Err(format!("no text given\n{USAGE}"));
    }
    let ntok: usize = sents.iter().map(Vec::len).sum();
    eprintln!(
        "{} sentences, {ntok} tokens read in {:.1}s",
        sents.len(),
        t0.elapsed().as_secs_f64()
    );
    let config = ClusterConfig {
        min_count: o.num("min-count", 3)?,
        max_depth: o.num("depth", 16)? as u8,
        leaves: o.num("leaves", 0)?,
        ..Default::default()
    };
    let c = clusters::learn(&sents, &config);
    let mut w = Writer::default();
    w.buf.extend_from_slice(CLUSTER_MAGIC);
    c.write(&mut w);
    let out = o.get("out")?;
    std::fs::write(out, &w.buf).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "{} words clustered in {:.1}s total; wrote {out} ({} bytes)",
        c.len(),
        t0.elapsed().as_secs_f64(),
        w.buf.len()
    );
    Ok(())
}

/// A table of `word<TAB>bits` lines (bits: up to 32 characters 0 or 1, the
/// first the top split) as a cluster table; a `.gz` file is decompressed.
fn read_vector_classes(path: &str) -> Result<Clusters, String> {
    let bytes = read_file(path)?;
    let text = if path.ends_with(".gz") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut s)
            .map_err(|e| format!("{path}: {e}"))?;
        s
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some((word, bits)) = line.split_once('\t') else {
            continue;
        };
        if bits.len() > 32 || !bits.bytes().all(|b| b == b'0' || b == b'1') {
            return Err(format!("{path}: line {}: bad bits {bits:?}", n + 1));
        }
        let path_bits = bits
            .bytes()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(b - b'0') << (31 - i)));
        pairs.push((word.to_string(), (path_bits, bits.len() as u8)));
    }
    eprintln!("{} word-vector classes read from {path}", pairs.len());
    Ok(Clusters::from_pairs(pairs))
}

fn load_clusters(path: &str) -> Result<Clusters, String> {
    let bytes = read_file(path)?;
    if bytes.len() < 8 || &bytes[..8] != CLUSTER_MAGIC {
        return Err(format!("{path}: not a cluster table"));
    }
    Clusters::read(&mut Reader::new(&bytes[8..])).map_err(|e| format!("{path}: {e}"))
}

fn cmd_train(o: &Opts) -> Result<(), String> {
    let t0 = Instant::now();
    let mut train_docs = read_docs(o.get("train")?)?;
    let gaz_docs = train_docs.clone();
    if let Some(aug) = o.values.get("augment") {
        let n = train_docs.len();
        let every = o.num("lower-every", 4)?.max(1);
        for i in 0..n {
            if aug.contains("lower") && i % every == 0 {
                let d = conll::lowercased(&train_docs[i]);
                train_docs.push(d);
            }
            if aug.contains("hyphen")
                && let Some(d) = conll::hyphens_split(&train_docs[i])
            {
                train_docs.push(d);
            }
        }
        eprintln!("{} training documents after augmentation", train_docs.len());
    }
    // Documents also learnt in lower case, as informal web text writes names.
    if let Some(files) = o.values.get("lowercase") {
        let lower = read_docs(files)?;
        train_docs.extend(lower.iter().map(conll::lowercased));
        eprintln!(
            "{} training documents with lowercased copies",
            train_docs.len()
        );
    }
    let dev = match o.values.get("dev") {
        Some(p) => Some(read_docs(p)?),
        None => None,
    };
    let clusters = if o.get("clusters")? == "none" {
        Clusters::default()
    } else {
        load_clusters(o.get("clusters")?)?
    };
    // Word-vector classes: `word<TAB>bits` lines, bits a string of 0 and 1.
    let vectors = match o.values.get("vectors") {
        None => Clusters::default(),
        Some(path) => read_vector_classes(path)?,
    };
    let places = read_file(o.get("places")?)?;
    // Several name lists may be given, comma-separated; their lines are joined.
    let mut names = String::new();
    for path in o.get("names")?.split(',') {
        names.push_str(&String::from_utf8_lossy(&read_file(path)?));
        if !names.ends_with('\n') {
            names.push('\n');
        }
    }
    let gaz = gazetteer::build(&places, &names, &gaz_docs)?;
    let config = TrainConfig {
        epochs: o.num("epochs", 10)?,
        epochs2: o.num("epochs2", 10)?,
        second_pass: !o.flag("--no-second"),
        seed: o.num("seed", 7)? as u64,
        folds: o.num("folds", 4)?,
        ensemble: o.num("ensemble", 1)?,
        min_count: o.num("min-count", 1)?,
        verbose: o.flag("-v"),
        clusters,
        vectors,
        gazetteer: gaz,
        description: format!("trained on {}", o.get("train")?),
    };
    let model = train(&config, &train_docs, dev.as_deref());
    let bytes = model.to_bytes();
    let out = o.get("out")?;
    std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "trained in {:.1}s: {} features, wrote {out} ({} bytes)",
        t0.elapsed().as_secs_f64(),
        model.feature_count(),
        bytes.len()
    );
    if let Some(dev) = dev {
        let (scores, _) = model.evaluate_documents(&dev);
        println!("{scores}");
    }
    Ok(())
}

fn load_model(path: &str) -> Result<Model, String> {
    let bytes = read_file(path)?;
    let t = Instant::now();
    let m = Model::from_bytes(&bytes).map_err(|e| format!("{path}: {e}"))?;
    eprintln!(
        "loaded {path} ({} bytes) in {:.1} ms",
        bytes.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    Ok(m)
}

fn cmd_eval(o: &Opts) -> Result<(), String> {
    let docs = read_docs(o.get("data")?)?;
    let gold: Vec<Vec<Tag>> = docs
        .iter()
        .flat_map(|d| d.sentences.iter().map(|s| s.tags.clone()))
        .collect();
    let mut pred: Vec<Vec<Tag>> = Vec::new();
    if let Some(p) = o.values.get("pred") {
        // Predictions of another tagger: a file with the same sentences.
        pred = read_docs(p)?
            .into_iter()
            .flat_map(|d| d.sentences.into_iter().map(|s| s.tags))
            .collect();
        if pred.len() != gold.len() {
            return Err(format!(
                "{p}: {} sentences, expected {}",
                pred.len(),
                gold.len()
            ));
        }
    } else {
        let model = load_model(o.get("model")?)?;
        for d in &docs {
            let toks: Vec<Vec<&str>> = d
                .sentences
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect();
            pred.extend(model.tag_document(&toks));
        }
    }
    if o.flag("--no-misc") {
        for s in &mut pred {
            for t in s.iter_mut() {
                if t.kind() == Some(Kind::Misc) {
                    *t = Tag::O;
                }
            }
        }
    }
    println!("{}", evaluate(&gold, &pred));
    if let Some(path) = o.values.get("errors") {
        let mut out = String::new();
        let sents = docs.iter().flat_map(|d| d.sentences.iter());
        for ((s, g), p) in sents.zip(&gold).zip(&pred) {
            let gs = lede::ner::tagger::eval::spans(g);
            let ps = lede::ner::tagger::eval::spans(p);
            for sp in &ps {
                if !gs.contains(sp) {
                    out.push_str(&format!("FP {} {}\n", sp.2, s.tokens[sp.0..sp.1].join(" ")));
                }
            }
            for sp in &gs {
                if !ps.contains(sp) {
                    out.push_str(&format!("FN {} {}\n", sp.2, s.tokens[sp.0..sp.1].join(" ")));
                }
            }
        }
        std::fs::write(path, out).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

/// CPU time of the calling thread in seconds (Linux `/proc/thread-self/schedstat`),
/// so throughput can be measured even while other processes load the machine.
fn thread_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Tags every document once; tokens per second of the thread's CPU time.
fn round_rate(model: &Model, docs: &[Vec<Vec<&str>>]) -> Option<f64> {
    let a = thread_cpu_seconds()?;
    let tokens: usize = docs
        .iter()
        .map(|d| model.tag_document(d).iter().map(Vec::len).sum::<usize>())
        .sum();
    let b = thread_cpu_seconds()?;
    (b > a).then(|| tokens as f64 / (b - a))
}

/// Prints the median and the best of per-round rates (CPU time): the best is the
/// code's speed with the least interference from other work on the machine.
fn print_rates(what: &str, rates: &mut [f64]) {
    if rates.is_empty() {
        return;
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "{what}, CPU time: median {:.0} tokens/s, best {:.0} tokens/s",
        rates[rates.len() / 2],
        rates[rates.len() - 1]
    );
}

fn cmd_bench(o: &Opts) -> Result<(), String> {
    let model = load_model(o.get("model")?)?;
    let docs = read_docs(o.get("data")?)?;
    let docs: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect()
        })
        .collect();
    let seconds: f64 = o
        .values
        .get("seconds")
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let cpu0 = thread_cpu_seconds();
    let cold = Instant::now();
    let cold_tokens: usize = docs
        .iter()
        .map(|d| model.tag_document(d).iter().map(Vec::len).sum::<usize>())
        .sum();
    let el = cold.elapsed().as_secs_f64();
    if let (Some(a), Some(b)) = (cpu0, thread_cpu_seconds()) {
        println!(
            "first round, CPU time: {:.0} tokens/s",
            cold_tokens as f64 / (b - a)
        );
    }
    println!(
        "first round (cold word cache): {cold_tokens} tokens in {el:.2}s: {:.0} tokens/s",
        cold_tokens as f64 / el
    );
    let cold_rounds: usize = o
        .values
        .get("cold-rounds")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if cold_rounds > 0 {
        // Each round tags the data with a fresh word cache; the copy is not timed.
        let mut rates: Vec<f64> = (0..cold_rounds)
            .filter_map(|_| round_rate(&model.clone(), &docs))
            .collect();
        print_rates(&format!("{cold_rounds} cold rounds"), &mut rates);
    }
    // Warm rounds: the word cache is full from the rounds before.
    let mut rates: Vec<f64> = (0..cold_rounds.max(1))
        .filter_map(|_| round_rate(&model, &docs))
        .collect();
    print_rates("warm rounds, each", &mut rates);
    let cpu1 = thread_cpu_seconds();
    let t = Instant::now();
    let mut tokens = 0usize;
    let mut rounds = 0;
    while t.elapsed().as_secs_f64() < seconds {
        for d in &docs {
            let tags = model.tag_document(d);
            tokens += tags.iter().map(Vec::len).sum::<usize>();
        }
        rounds += 1;
    }
    let el = t.elapsed().as_secs_f64();
    if let (Some(a), Some(b)) = (cpu1, thread_cpu_seconds())
        && tokens > 0
    {
        println!(
            "warm rounds, CPU time: {:.0} tokens/s",
            tokens as f64 / (b - a)
        );
    }
    if tokens > 0 {
        println!(
            "{tokens} tokens in {el:.2}s ({rounds} rounds): {:.0} tokens/s on one thread",
            tokens as f64 / el
        );
    }
    Ok(())
}

fn cmd_tag(o: &Opts) -> Result<(), String> {
    let model = load_model(o.get("model")?)?;
    let mut input = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
        .map_err(|e| format!("stdin: {e}"))?;
    let sents: Vec<Vec<&str>> = input
        .lines()
        .map(tokenize)
        .filter(|s| !s.is_empty())
        .collect();
    for (s, tags) in sents.iter().zip(model.tag_document(&sents)) {
        let line: Vec<String> = s
            .iter()
            .zip(tags)
            .map(|(w, t)| format!("{w}/{t}"))
            .collect();
        println!("{}", line.join(" "));
    }
    Ok(())
}
