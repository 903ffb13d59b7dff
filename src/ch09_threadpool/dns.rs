//! `dns.lookup(host, callback)` on the pool: `getaddrinfo(3)`, which has no fd to poll (it may
//! read `/etc/hosts`, ask a DNS server, ask mDNS, all behind one blocking call), so Node runs it
//! on libuv's thread pool (`uv_getaddrinfo`). That is also why a burst of slow lookups can hold
//! up `fs` calls: they share the pool's four threads.

use super::fs::DnsError;
use crate::ch08_ticks::Node;
use std::ffi::CString;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

impl Node {
    // ANCHOR: lookup
    /// `dns.lookup(host, { all: true }, callback)`: every address of `host`, in the order the
    /// resolver gave them (Node ≥ 17's default, `verbatim`), or a [`DnsError`]
    /// (`ENOTFOUND` for a name that does not exist). Node's plain `dns.lookup` passes the
    /// first one to its callback.
    pub fn lookup(
        &mut self,
        host: &str,
        callback: impl FnOnce(&mut Node, Result<Vec<IpAddr>, DnsError>) + 'static,
    ) -> io::Result<()> {
        let host = host.to_string();
        let name = host.clone();
        self.queue_work(
            move || getaddrinfo(&name),
            move |node, result| {
                let result = result.unwrap_or(Err(DnsError {
                    code: "ECANCELED",
                    hostname: host,
                }));
                node.callback_scope(move |node| callback(node, result));
            },
        )?;
        Ok(())
    }
    // ANCHOR_END: lookup
}

/// Resolves `host` with the hints Node uses: any family, stream sockets.
pub fn getaddrinfo(host: &str) -> Result<Vec<IpAddr>, DnsError> {
    let error = |code| DnsError {
        code,
        hostname: host.to_string(),
    };
    let c_host = CString::new(host).map_err(|_| error("EINVAL"))?;
    // SAFETY: all-zero is a valid addrinfo hints value (no flags, any protocol).
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = libc::AF_UNSPEC;
    hints.ai_socktype = libc::SOCK_STREAM;
    let mut list: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: `c_host` is NUL-terminated and alive; no service; `hints` is initialised; `list`
    // is a valid place for the result pointer.
    let rc = unsafe { libc::getaddrinfo(c_host.as_ptr(), std::ptr::null(), &hints, &mut list) };
    if rc != 0 {
        return Err(error(gai_code(rc)));
    }
    let mut addresses = Vec::new();
    let mut entry = list;
    while !entry.is_null() {
        // SAFETY: `entry` is a node of the list getaddrinfo returned, not freed yet.
        let info = unsafe { &*entry };
        if let Some(ip) = ip_of(info) {
            addresses.push(ip);
        }
        entry = info.ai_next;
    }
    // SAFETY: `list` came from a successful getaddrinfo and is freed exactly once, after the
    // last use of its nodes.
    unsafe { libc::freeaddrinfo(list) };
    Ok(addresses)
}

/// The address in one `addrinfo` node, if it is IPv4 or IPv6.
fn ip_of(info: &libc::addrinfo) -> Option<IpAddr> {
    if info.ai_addr.is_null() {
        return None;
    }
    match info.ai_family {
        libc::AF_INET => {
            // SAFETY: for AF_INET, ai_addr points to a sockaddr_in.
            let sin = unsafe { &*(info.ai_addr as *const libc::sockaddr_in) };
            Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                sin.sin_addr.s_addr,
            ))))
        }
        libc::AF_INET6 => {
            // SAFETY: for AF_INET6, ai_addr points to a sockaddr_in6.
            let sin6 = unsafe { &*(info.ai_addr as *const libc::sockaddr_in6) };
            Some(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)))
        }
        _ => None,
    }
}

/// Node's code for a `getaddrinfo` error (`lib/internal/errors.js`, `dnsException`): a name
/// that does not exist is `ENOTFOUND`, the rest keep their `EAI_` names.
fn gai_code(rc: libc::c_int) -> &'static str {
    match rc {
        libc::EAI_NONAME => "ENOTFOUND",
        #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
        libc::EAI_NODATA => "ENOTFOUND",
        libc::EAI_AGAIN => "EAI_AGAIN",
        libc::EAI_FAIL => "EAI_FAIL",
        libc::EAI_MEMORY => "EAI_MEMORY",
        libc::EAI_FAMILY => "EAI_FAMILY",
        libc::EAI_SERVICE => "EAI_SERVICE",
        libc::EAI_SYSTEM => "EAI_SYSTEM",
        _ => "EAI_UNKNOWN",
    }
}
