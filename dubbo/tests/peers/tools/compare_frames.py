#!/usr/bin/env python3
"""Compare frames recorded by capture_proxy.py with the Java Dubbo 3.3.1 frames in
shared/conformance/dubbo2_frames.json.

Usage: python3 compare_frames.py <capture.jsonl> [path/to/dubbo2_frames.json]

For every request (c2s) the Java request with the same method (for $invoke: the same
target method) is looked up and the differences in header flag, dubbo version, service
version, descriptor, argument shapes and attachments are printed; for every response
(s2c) the header flag, status, result flag and attachments are printed next to Java's.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_JAVA = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..', '..', 'shared',
                                             'conformance', 'dubbo2_frames.json'))


def shape(v):
    """Type skeleton of a typed value (values dropped, container types kept)."""
    t = v.get('t')
    if t == 'list':
        return 'list<%s>[%s]' % (v['type'], ','.join(sorted({shape(x) for x in v['items']})))
    if t == 'map':
        return 'map<%s>{%s}' % (v['type'], ','.join(sorted({shape(k) + ':' + shape(x)
                                                             for k, x in v['entries']})))
    if t == 'object':
        return 'object<%s>(%s)' % (v['class'], ','.join('%s:%s' % (f, shape(x))
                                                        for f, x in v['fields']))
    return t


def attach(v):
    if not v or v.get('t') != 'map':
        return None
    out = {}
    for k, x in v['entries']:
        key = k.get('v')
        if x.get('t') == 'string':
            out[key] = x['v']
        else:
            out[key] = '<%s %s>' % (x.get('t'), x.get('v'))
    return out


def req_key(vals):
    m = vals[3]['v']
    if m == '$invoke':
        return '$invoke:' + vals[5]['v']
    return m


def summarize_request(vals):
    desc = vals[4]['v']
    return {
        'dubbo_version': vals[0]['v'],
        'path': vals[1]['v'],
        'service_version': vals[2].get('v'),
        'method': vals[3]['v'],
        'descriptor': desc,
        'args': [shape(a) for a in vals[5:-1]],
        'attachments': attach(vals[-1]),
    }


def summarize_response(rec):
    vals = rec.get('body_values') or []
    s = {'flag': rec['flag'], 'status': rec['status']}
    if rec['status'] != 20 or 'EVENT' in rec['flag_bits']:
        s['body'] = [shape(v) for v in vals]
        return s
    if vals and vals[0].get('t') == 'int':
        s['result_flag'] = vals[0]['v']
        s['payload'] = [shape(v) for v in vals[1:]]
        if s['result_flag'] >= 3:
            s['attachments'] = attach(vals[-1])
            s['payload'] = s['payload'][:-1]
    return s


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    java_path = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_JAVA
    java = json.load(open(java_path))['frames']
    jreq, jresp = {}, {}
    by_id = {}
    for f in java:
        if f['direction'] == 'consumer->provider' and f['flag'] == 'c2':
            k = req_key(f['body_values'])
            jreq.setdefault(k, f)
            by_id[f['request_id']] = k
    for f in java:
        if f['direction'] == 'provider->consumer' and f['request_id'] in by_id:
            jresp.setdefault(by_id[f['request_id']], f)

    recs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    peer_key = {}
    for r in recs:
        if r['dir'] == 'c2s' and 'body_values' in r and r['flag_bits'][0] == 'REQUEST' \
                and 'EVENT' not in r['flag_bits']:
            peer_key[(r['conn'], r['request_id'])] = req_key(r['body_values'])

    for r in recs:
        if 'body_values' not in r:
            print('!! undecodable frame', r.get('dir'), r.get('decode_error'), r.get('hex', '')[:80])
            continue
        k = peer_key.get((r['conn'], r['request_id']))
        if r['dir'] == 'c2s':
            if 'EVENT' in r['flag_bits']:
                print('== c2s EVENT flag=%s body=%s' % (r['flag'], r['body_values']))
                continue
            p = summarize_request(r['body_values'])
            print('== request %s  id=%s flag=%s status=%d' % (k, r['request_id'], r['flag'], r['status']))
            j = jreq.get(k)
            if not j:
                print('   (no Java frame to compare) ', json.dumps(p))
                continue
            jj = summarize_request(j['body_values'])
            if r['flag'] != j['flag']:
                print('   flag: peer %s  java %s' % (r['flag'], j['flag']))
            for f in ('dubbo_version', 'path', 'service_version', 'method', 'descriptor', 'args'):
                if p[f] != jj[f]:
                    print('   %-15s peer %s\n   %-15s java %s' % (f, json.dumps(p[f]), '', json.dumps(jj[f])))
            pa, ja = p['attachments'] or {}, jj['attachments'] or {}
            keys = list(dict.fromkeys(list(ja) + list(pa)))
            for key in keys:
                if pa.get(key) != ja.get(key):
                    print('   attachment %-20s peer %-50s java %s' % (
                        key, json.dumps(pa.get(key, '<absent>')), json.dumps(ja.get(key, '<absent>'))))
            print('   attachment key order: peer %s' % list(pa))
        else:
            s = summarize_response(r)
            print('== response %s  id=%s %s' % (k, r['request_id'], json.dumps(s)))
            j = jresp.get(k)
            if j:
                js = summarize_response({'flag': j['flag'], 'status': j['status'],
                                         'flag_bits': j['flag_bits'], 'body_values': j['body_values']})
                if js.get('payload') and len(json.dumps(js)) > 400:
                    js['payload'] = [x[:120] + '...' for x in js['payload']]
                print('   java:  %s' % json.dumps(js))
    return 0


if __name__ == '__main__':
    sys.exit(main())
