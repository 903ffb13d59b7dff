//! What the server answers: a request's method and target, turned into a [`Route`].

use super::config::Limits;
use std::time::Duration;

/// The methods the server knows. Anything else is answered `501 Not Implemented`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `HEAD`: a `GET` without the body.
    Head,
    /// `POST`.
    Post,
    /// Any other token: `PUT`, `DELETE`, `BREW`, ...
    Other,
}

impl Method {
    /// The method a request line names (methods are case-sensitive).
    pub fn parse(token: &str) -> Method {
        match token {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            _ => Method::Other,
        }
    }
}

// ANCHOR: route
/// What to do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET /` or `HEAD /`: `200`, `text/plain`, the benchmark's `Hello, World!`.
    Hello,
    /// `POST /echo`: the request body back, as it arrives.
    Echo,
    /// `GET /delay?ms=N`: `200` after a timer of N ms; later requests on the connection wait.
    Delay(Duration),
    /// A known method on a target we do not serve: `404`.
    NotFound,
    /// A `/delay` whose `ms` is missing, not a number, or over the limit: `400`.
    BadQuery,
    /// A method we do not implement: `501`.
    NotImplemented,
}

/// Picks the route for `method` and the request target `target` (origin form: `/path?query`).
pub fn route(method: Method, target: &str, limits: &Limits) -> Route {
    let (path, query) = match target.bytes().position(|b| b == b'?') {
        Some(at) => (&target[..at], &target[at + 1..]),
        None => (target, ""),
    };
    match (method, path) {
        (Method::Other, _) => Route::NotImplemented,
        (Method::Get | Method::Head, "/") => Route::Hello,
        (Method::Post, "/echo") => Route::Echo,
        (Method::Get, "/delay") => match delay_ms(query) {
            Some(ms) if Duration::from_millis(ms) <= limits.max_delay => {
                Route::Delay(Duration::from_millis(ms))
            }
            _ => Route::BadQuery,
        },
        _ => Route::NotFound,
    }
}
// ANCHOR_END: route

/// The `ms` parameter of a query string (`ms=250` or `a=b&ms=250`): digits only.
fn delay_ms(query: &str) -> Option<u64> {
    let value = query.split('&').find_map(|pair| pair.strip_prefix("ms="))?;
    if value.is_empty() || value.len() > 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(method: &str, target: &str) -> Route {
        route(Method::parse(method), target, &Limits::default())
    }

    #[test]
    fn the_routes_of_the_issue() {
        assert_eq!(r("GET", "/"), Route::Hello);
        assert_eq!(r("HEAD", "/"), Route::Hello);
        assert_eq!(r("POST", "/echo"), Route::Echo);
        assert_eq!(
            r("GET", "/delay?ms=250"),
            Route::Delay(Duration::from_millis(250))
        );
        assert_eq!(r("GET", "/delay?x=1&ms=0"), Route::Delay(Duration::ZERO));
        assert_eq!(r("GET", "/nope"), Route::NotFound);
        assert_eq!(r("POST", "/"), Route::NotFound);
        assert_eq!(r("GET", "/echo"), Route::NotFound);
        assert_eq!(r("PUT", "/"), Route::NotImplemented);
        assert_eq!(
            r("get", "/"),
            Route::NotImplemented,
            "methods are case-sensitive"
        );
    }

    #[test]
    fn bad_delays_are_bad_requests() {
        for target in [
            "/delay",
            "/delay?ms=",
            "/delay?ms=-1",
            "/delay?ms=1e3",
            "/delay?ms=99999999999999999999",
            "/delay?ms=60001",
        ] {
            assert_eq!(r("GET", target), Route::BadQuery, "{target}");
        }
    }
}
