"""Replays two of issue 13's attacks on module 01 against a running chat server, and prints what it answered.

  python3 abuse_replay.py PORT signins 140000               sign-in latency, first 1,000 and after N sign-ins
  python3 abuse_replay.py PORT handshakes 2000 203.0.113.69  N simultaneous handshakes from one client address

The server runs with the tests' address trusted as a proxy and left out of the per-address limits, so the first
replay measures the sign-in path itself and the second stands for one hostile client with X-Forwarded-For
(see AbuseReplay.md). Standard library only.
"""
import http.client, json, time, statistics, socket, sys, os, base64, threading
from concurrent.futures import ThreadPoolExecutor
PORT=int(sys.argv[1]); PHASE=sys.argv[2]
def signin(name, xff=None, conn=None):
    c = conn or http.client.HTTPConnection('127.0.0.1', PORT)
    h={'Content-Type':'application/json'}
    if xff: h['X-Forwarded-For']=xff
    t=time.perf_counter(); c.request('POST','/api/session',json.dumps({'name':name}),h); r=c.getresponse(); body=r.read(); dt=(time.perf_counter()-t)*1000
    return r.status, r.getheader('Set-Cookie'), dt
if PHASE=='signins':
    total=int(sys.argv[3])
    def worker(k):
        c=http.client.HTTPConnection('127.0.0.1', PORT); lat=[]
        for i in range(k): lat.append(signin('m%d'%i, conn=c)[2])
        return lat
    first=worker(1000); print('first 1000 sign-ins p50 %.2f ms p99 %.2f'%(statistics.median(first), sorted(first)[990]))
    t=time.time()
    with ThreadPoolExecutor(4) as ex: list(ex.map(worker,[ (total-2000)//4 ]*4))
    print('bulk', total-2000, 'in %.0f s'%(time.time()-t))
    last=worker(1000); print('after %d sign-ins: p50 %.2f ms p99 %.2f'%(total, statistics.median(last), sorted(last)[990]))
if PHASE=='handshakes':
    n=int(sys.argv[3]); xff=sys.argv[4]
    st,ck,_=signin('stormer', xff); cookie=ck.split(';')[0]
    statuses={}; socks=[]
    lock=threading.Lock()
    def hs(i):
        try:
            s=socket.create_connection(('127.0.0.1',PORT),timeout=30)
            key=base64.b64encode(os.urandom(16)).decode()
            s.sendall(('GET /chat/storm HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:%d\r\nCookie: %s\r\nX-Forwarded-For: %s\r\n\r\n'%(PORT,key,PORT,cookie,xff)).encode())
            data=s.recv(200)
            code=data.split(b' ')[1].decode() if data else 'no status'
            if code=='101':
                s.settimeout(3); rest=data; end=time.time()+4
                try:
                    while time.time()<end and b'\x88' not in rest:
                        more=s.recv(4096)
                        if not more: break
                        rest+=more
                except socket.timeout:
                    pass
                i=rest.find(b'\x88')
                code='101 then close %d'%int.from_bytes(rest[i+2:i+4],'big') if i>=0 and len(rest)>=i+4 else '101, still open'
        except Exception as e:
            code='error '+type(e).__name__
        with lock:
            statuses[code]=statuses.get(code,0)+1; socks.append(s)
    with ThreadPoolExecutor(200) as ex: list(ex.map(hs, range(n)))
    print(n,'simultaneous handshakes from one address:', statuses)
    st2,ck2,dt=signin('bystander', '198.51.100.200'); print('a bystander signs in meanwhile:', st2, '%.1f ms'%dt)
    for s in socks: s.close()
