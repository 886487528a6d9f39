//! report.html in a real browser: headless Chromium, driven over the Chrome DevTools Protocol,
//! loads the report of every job and must see no console error, no exception and no network
//! request; every SVG must have a non-empty bounding box; the page must not overflow a
//! phone's width or a printed page's; and the screenshot must not be blank.
//!
//! Chromium is required: CI installs it (`.ci/run`). Without it this test fails, saying how
//! to install it, unless `COSTBANDS_SKIP_BROWSER=1` is set.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// How long any one step may take.
const STEP: Duration = Duration::from_secs(60);

/// The Chromium binary: `$CHROMIUM`, else the first of the usual names on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ]
        .iter()
        .map(|name| dir.join(name))
        .find(|candidate| candidate.is_file())
    })
}

/// A headless Chromium with one page, driven over a DevTools websocket.
struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    /// Every event received, in order.
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stderr = child.stderr.take().unwrap();
        let url = devtools_url(stderr);
        let (socket, _) = tungstenite::connect(url.as_str()).expect("DevTools websocket");
        if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
            stream.set_read_timeout(Some(STEP)).unwrap();
        }
        let mut browser = Browser {
            child,
            socket,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].clone();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Runtime", "Log", "Network", "Page"] {
            browser.call(&format!("{domain}.enable"), json!({}));
        }
        browser
    }

    /// Sends a command (to the page once attached) and returns its result; events that
    /// arrive meanwhile are kept.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .expect("send to the browser");
        let deadline = Instant::now() + STEP;
        loop {
            assert!(Instant::now() < deadline, "{method}: no answer");
            let reply = self.receive();
            if reply["id"] == json!(id) {
                assert!(reply.get("error").is_none(), "{method}: {reply}");
                return reply["result"].clone();
            }
            if reply.get("method").is_some() {
                self.events.push(reply);
            }
        }
    }

    fn receive(&mut self) -> Value {
        match self.socket.read().expect("read from the browser") {
            Message::Text(text) => serde_json::from_str(text.as_str()).unwrap(),
            _ => Value::Null,
        }
    }

    /// Waits for the event `method`, keeping every event.
    fn wait_for(&mut self, method: &str) {
        if self.events.iter().any(|e| e["method"] == method) {
            return;
        }
        let deadline = Instant::now() + STEP;
        while Instant::now() < deadline {
            let event = self.receive();
            let found = event["method"] == method;
            if event.get("method").is_some() {
                self.events.push(event);
            }
            if found {
                return;
            }
        }
        panic!("no {method} within {STEP:?}");
    }

    /// Loads `url` at `width` × `height` CSS pixels for `media` (`screen` or `print`).
    fn open(&mut self, url: &str, (width, height): (u32, u32), media: &str) {
        self.events.clear();
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}),
        );
        self.call("Emulation.setEmulatedMedia", json!({"media": media}));
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for("Page.loadEventFired");
    }

    fn evaluate(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        assert!(result.get("exceptionDetails").is_none(), "{result}");
        result["result"]["value"].clone()
    }

    /// Errors the page caused: console errors, exceptions, error log entries.
    fn errors(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| {
                let method = e["method"].as_str().unwrap_or("");
                (method == "Runtime.consoleAPICalled" && e["params"]["type"] == "error")
                    || method == "Runtime.exceptionThrown"
                    || (method == "Log.entryAdded" && e["params"]["entry"]["level"] == "error")
            })
            .map(Value::to_string)
            .collect()
    }

    /// Every request the page made other than for `page_url` itself.
    fn requests(&self, page_url: &str) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str())
            .filter(|url| *url != page_url)
            .map(str::to_string)
            .collect()
    }

    fn screenshot(&mut self) -> Vec<u8> {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        decode_base64(shot["data"].as_str().unwrap())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads Chromium's stderr until it names its DevTools websocket.
fn devtools_url(stderr: impl std::io::Read + Send + 'static) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.find("ws://") {
                let _ = tx.send(line[at..].trim().to_string());
            }
        }
    });
    rx.recv_timeout(STEP)
        .expect("Chromium never printed `DevTools listening on ws://...`")
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=').map(value).collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | u32::from(*d) << (18 - 6 * i));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(chunk.len() - 1).collect::<Vec<u8>>()
        })
        .collect()
}

/// Distinct colours in a PNG, and the share of pixels that are not white.
fn colours(png_bytes: &[u8]) -> (usize, f64) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let step = info.color_type.samples();
    let pixels = &buffer[..info.buffer_size()];
    let mut seen = std::collections::HashSet::new();
    let mut inked = 0usize;
    for pixel in pixels.chunks(step) {
        let rgb = (pixel[0], pixel[1], pixel[2]);
        seen.insert(rgb);
        if rgb != (255, 255, 255) {
            inked += 1;
        }
    }
    (seen.len(), inked as f64 / (pixels.len() / step) as f64)
}

/// The reports of every kind of job, and how many charts each has at least.
fn reports(dir: &Path) -> Vec<(PathBuf, usize)> {
    let jobs: [(&[&str], &str, usize); 5] = [
        (&["run", "-n", "20000"], "run", 4),
        (
            &[
                "run",
                "goldstein-2022-uncertain",
                "epoch-2025-uncertain",
                "-n",
                "20000",
            ],
            "batch",
            3,
        ),
        (&["sensitivity", "-n", "5000"], "sensitivity", 2),
        (
            &[
                "compare",
                "chatgpt-class",
                "chatgpt-2025",
                "selfhost-70b",
                "-n",
                "20000",
            ],
            "compare",
            3,
        ),
        (
            &["sweep", "--vary", "utilization=0.3..0.7:5", "-n", "20000"],
            "sweep",
            2,
        ),
    ];
    jobs.iter()
        .map(|(args, name, charts)| {
            let out = dir.join(name);
            let mut all: Vec<&str> = args.to_vec();
            all.extend(["--quiet", "--out", out.to_str().unwrap()]);
            assert_ok(&costbands_in(dir, &all));
            (out.join("report.html"), *charts)
        })
        .collect()
}

#[test]
fn every_report_loads_cleanly_and_draws_in_a_real_browser() {
    let Some(binary) = chromium() else {
        if std::env::var_os("COSTBANDS_SKIP_BROWSER").is_some_and(|v| v == "1") {
            eprintln!("skipped: no Chromium and COSTBANDS_SKIP_BROWSER=1");
            return;
        }
        panic!(
            "this test renders report.html in headless Chromium, which is not installed: \
             install it (Debian/Ubuntu: `sudo apt-get install -y chromium`, as .ci/run does), \
             point CHROMIUM at the binary, or set COSTBANDS_SKIP_BROWSER=1 to skip this test"
        );
    };
    let dir = tempfile::tempdir().unwrap();
    let mut browser = Browser::launch(&binary);
    for (report, charts) in reports(dir.path()) {
        let url = format!("file://{}", report.display());
        browser.open(&url, (1200, 900), "screen");
        let errors = browser.errors();
        assert!(errors.is_empty(), "{url}: {errors:?}");
        let requests = browser.requests(&url);
        assert!(requests.is_empty(), "{url} made requests: {requests:?}");
        let boxes = browser.evaluate(
            "JSON.stringify([...document.querySelectorAll('svg')].map(s => { \
               const r = s.getBoundingClientRect(), b = s.getBBox(); \
               return [r.width, r.height, b.width, b.height]; }))",
        );
        let boxes: Vec<[f64; 4]> = serde_json::from_str(boxes.as_str().unwrap()).unwrap();
        assert!(boxes.len() >= charts, "{url}: {} charts", boxes.len());
        for b in &boxes {
            assert!(
                b.iter().all(|side| *side > 10.0),
                "{url}: an SVG box is empty: {b:?}"
            );
        }
        let (distinct, inked) = colours(&browser.screenshot());
        assert!(
            distinct >= 40 && inked > 0.05,
            "{url}: blank? {distinct} colours, {inked} inked"
        );
        for (size, media) in [((390, 844), "screen"), ((700, 1000), "print")] {
            browser.open(&url, size, media);
            let wide = browser.evaluate("document.documentElement.scrollWidth");
            assert!(
                wide.as_f64().unwrap() <= f64::from(size.0) + 1.0,
                "{url} overflows {size:?} ({media}): {wide} px wide"
            );
            assert!(
                browser.errors().is_empty(),
                "{url} ({media}): {:?}",
                browser.errors()
            );
        }
    }
}
