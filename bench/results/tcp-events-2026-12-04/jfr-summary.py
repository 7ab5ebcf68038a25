import json, sys, collections
d = json.load(open(sys.argv[1]))
ev = d['recording']['events']
threads = collections.Counter(); top = collections.Counter(); incl = collections.Counter()
import re
for e in ev:
    v = e['values']
    t = v['sampledThread']['javaName'] or v['sampledThread']['osName']
    t = re.sub(r'\d+', 'N', t)
    threads[t] += 1
    frames = v['stackTrace']['frames']
    if frames:
        f = frames[0]['method']; top[f['type']['name'] + '.' + f['name']] += 1
    seen = set()
    for fr in frames:
        m = fr['method']; name = m['type']['name'] + '.' + m['name']
        if name not in seen:
            seen.add(name); incl[name] += 1
n = len(ev)
print("samples", n)
print("== threads"); [print(f"{c*100/n:5.1f}% {k}") for k, c in threads.most_common(15)]
print("== top frames"); [print(f"{c*100/n:5.1f}% {k}") for k, c in top.most_common(40)]
pat = sys.argv[2] if len(sys.argv) > 2 else 'gamewire|camel|netty|rabbitmq'
print("== inclusive")
for k, c in incl.most_common(150):
    if re.search(pat, k): print(f"{c*100/n:5.1f}% {k}")
