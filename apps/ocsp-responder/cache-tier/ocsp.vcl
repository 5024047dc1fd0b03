vcl 4.1;

# RFC 5019 cache tier in front of the OCSP responder (Varnish 7). Caches GET /ocsp/... answers
# for as long as the responder's Cache-Control max-age says (nextUpdate), revalidates with
# ETag/Last-Modified afterwards, never caches an error, a live-signed (nonce, no-store) answer or
# anything that is not application/ocsp-response, and passes POST and every other path straight
# to the origin. The responder bans a certificate's answers (every URL form and CertID hash
# algorithm at once, by the x-ocsp-cert tag it puts on cacheable answers) when its status changes.
#
# The backend below is the docker-compose / k8s service name; tests and bench:ocsp render this
# file with their own origin (apps/ocsp-responder/test/support/varnish.ts).

backend origin {
  .host = "ocsp-responder";
  .port = "3005";
  .connect_timeout = 1s;
  .first_byte_timeout = 5s;
}

# Who may send BAN/PURGE: the responder's pods (loopback in tests, private ranges in a cluster).
acl purgers {
  "127.0.0.1";
  "::1";
  "10.0.0.0"/8;
  "172.16.0.0"/12;
  "192.168.0.0"/16;
}

sub vcl_recv {
  if (req.method == "BAN") {
    if (client.ip !~ purgers) {
      return (synth(405, "Not allowed"));
    }
    if (!req.http.x-ocsp-cert) {
      return (synth(400, "x-ocsp-cert required"));
    }
    ban("obj.http.x-ocsp-cert == " + req.http.x-ocsp-cert);
    return (synth(200, "Banned"));
  }
  if (req.method == "PURGE") {
    if (client.ip !~ purgers) {
      return (synth(405, "Not allowed"));
    }
    return (purge);
  }
  # POST (and anything else that is not a plain GET of an OCSP request) goes straight to the origin.
  if (req.method != "GET" && req.method != "HEAD") {
    return (pass);
  }
  if (req.url !~ "^/ocsp/.") {
    return (pass);
  }
  unset req.http.Cookie;
  if (req.http.Authorization) {
    return (pass);
  }
  return (hash);
}

sub vcl_hash {
  # One object per request URL, whatever Host the client used.
  hash_data(req.url);
  return (lookup);
}

sub vcl_backend_response {
  if (beresp.status != 200 && beresp.status != 304) {
    # Errors (problem+json 4xx, 5xx) are never cached.
    set beresp.uncacheable = true;
    set beresp.ttl = 0s;
    return (deliver);
  }
  if (beresp.http.Cache-Control ~ "(no-store|no-cache|private)" || beresp.http.Content-Type != "application/ocsp-response") {
    # Live-signed answers (nonce echoed) and unsigned OCSP error responses say no-store.
    set beresp.uncacheable = true;
    set beresp.ttl = 0s;
    return (deliver);
  }
  # TTL comes from max-age (= seconds to nextUpdate). must-revalidate: no grace, never a stale
  # answer; kept a while after expiry so the refetch can be a conditional GET (ETag).
  set beresp.grace = 0s;
  set beresp.keep = 10m;
  return (deliver);
}

sub vcl_deliver {
  unset resp.http.x-ocsp-cert;
  if (obj.hits > 0) {
    set resp.http.X-Cache = "HIT";
  } else {
    set resp.http.X-Cache = "MISS";
  }
  return (deliver);
}
