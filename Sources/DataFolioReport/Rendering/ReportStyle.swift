/// The report page's style sheet and its one small script.
enum ReportStyle {
    static let css: String = {
        let kinds = KindPalette.rules { kind, fill, stroke in ".k-\(kind.rawValue){--kind:\(stroke);--kind-fill:\(fill)}" }
        return """
            :root{color-scheme:light dark;--bg:#f8fafc;--card:#fff;--text:#111827;--muted:#6b7280;--line:#e5e7eb;\
            --accent:#1d4ed8;--code:#f3f4f6;--added:#15803d;--removed:#b91c1c;--modified:#a16207}
            @media screen and (prefers-color-scheme:dark){:root{--bg:#0f172a;--card:#1e293b;--text:#e5e7eb;--muted:#94a3b8;\
            --line:#334155;--accent:#93c5fd;--code:#0f172a;--added:#4ade80;--removed:#f87171;--modified:#facc15}}
            *{box-sizing:border-box}
            [hidden]{display:none!important}
            body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif}
            a{color:var(--accent)}
            .wrap{max-width:1320px;margin:0 auto;padding:12px 24px}
            h1{font-size:24px;margin:8px 0 2px;word-break:break-word}
            h1 small{font-weight:normal;color:var(--muted);font-size:15px}
            .where{color:var(--muted);word-break:break-all;margin:0 0 8px;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px}
            .counts{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;margin:8px 0}
            .counts b{font-size:16px}
            nav.bar{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line)}
            nav.bar .wrap{display:flex;gap:16px;align-items:center;flex-wrap:wrap;padding-top:8px;padding-bottom:8px}
            #filter{flex:1;min-width:220px;max-width:460px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;\
            background:var(--card);color:var(--text);font:inherit}
            #filter-count{color:var(--muted);font-size:13px}
            h2{font-size:19px;margin:22px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
            .graph{overflow:auto;max-height:80vh;background:var(--card);border:1px solid var(--line);border-radius:8px}
            .graph svg{display:block;margin:0 auto}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:14px}
            .card{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--kind);border-radius:8px;\
            padding:10px 14px;min-width:0;content-visibility:auto;contain-intrinsic-size:auto 280px}
            .card:target{outline:2px solid var(--accent)}
            .card h3{margin:0 0 4px;font-size:15px;word-break:break-all}
            .card h3 a{color:inherit;text-decoration:none}
            .badge{display:inline-block;font-size:11.5px;padding:0 8px;border-radius:10px;background:var(--kind-fill);\
            color:#111827;border:1px solid var(--kind);margin-right:4px}
            .archived{background:var(--code);color:var(--muted);border-color:var(--line)}
            .desc{margin:6px 0}
            dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:1px 10px;margin:6px 0;font-size:13px}
            dt{color:var(--muted)}
            dd{margin:0;word-break:break-word}
            table{border-collapse:collapse;font-size:12.5px}
            th,td{border:1px solid var(--line);padding:2px 6px;text-align:left;vertical-align:top;white-space:nowrap;\
            max-width:260px;overflow:hidden;text-overflow:ellipsis}
            th{background:var(--code);font-weight:600}
            td.null{color:var(--muted);font-style:italic}
            table.schema td:nth-child(2){max-width:150px}table.schema td:nth-child(n+3){max-width:120px}
            .scroll{overflow-x:auto;margin:6px 0;max-width:100%}
            pre{background:var(--code);padding:8px;border-radius:6px;overflow:auto;max-height:340px;font-size:12px;margin:6px 0;\
            white-space:pre-wrap;word-break:break-word;font-family:ui-monospace,"DejaVu Sans Mono",monospace}
            summary{cursor:pointer;color:var(--muted);margin:4px 0}
            .note{color:var(--muted);font-size:12.5px;margin:4px 0}
            .missing{color:var(--muted);font-style:italic}
            img.preview{max-width:100%;max-height:320px;display:block;margin:6px 0;background:#fff;border-radius:4px}
            svg.hist{display:block;margin:4px 0 0}
            svg.hist path{fill:var(--kind)}
            .hist-axis{display:flex;justify-content:space-between;width:240px;font-size:11px;color:var(--muted)}
            .timeline{list-style:none;padding:0 0 0 4px;margin:0;border-left:3px solid var(--line)}
            .timeline>li{position:relative;margin:0 0 12px 16px;padding:8px 14px;background:var(--card);border:1px solid var(--line);border-radius:8px}
            .timeline>li::before{content:"";position:absolute;left:-27px;top:13px;width:12px;height:12px;border-radius:50%;\
            background:var(--accent);border:2px solid var(--bg)}
            .timeline>li.pending::before{background:var(--muted)}
            .timeline>li.shown{outline:2px solid var(--accent)}
            .timeline h3{margin:0;font-size:15px;word-break:break-all}
            .timeline time{color:var(--muted);font-size:13px}
            .tag{display:inline-block;font-size:11.5px;padding:0 7px;border-radius:10px;border:1px solid var(--line);margin-left:4px}
            ul.changes{list-style:none;padding:0;margin:6px 0;font-size:13px}
            ul.changes li{margin:2px 0;word-break:break-word}
            .added>b{color:var(--added)}.removed>b{color:var(--removed)}.modified>b{color:var(--modified)}
            footer{color:var(--muted);font-size:12px}
            \(kinds.light)
            @media screen and (prefers-color-scheme:dark){\(kinds.dark).badge{color:#f9fafb}img.preview{background:#e5e7eb}}
            @media print{nav.bar{display:none}body{background:#fff;color:#000}.graph{overflow:visible;max-height:none;border:none}\
            .graph svg{max-width:100%;height:auto}.cards{display:block}.card{break-inside:avoid;margin:0 0 10px;\
            content-visibility:visible;border-color:#ccc}pre{max-height:none;overflow:visible}.timeline>li{break-inside:avoid}\
            a{color:inherit;text-decoration:none}}

            """
    }()

    /// Shows the filter box (hidden without scripts), narrows cards and dims graph
    /// nodes as the reader types, and opens collapsed sections for printing.
    /// Words are matched anywhere in a card's text; `kind:NAME` matches the kind.
    static let script = """
        (function(){
        var box=document.getElementById('filter');if(!box)return;box.hidden=false;
        var cards=Array.prototype.slice.call(document.querySelectorAll('article.card'));
        var nodes=Array.prototype.slice.call(document.querySelectorAll('.dfl-node'));
        var edges=Array.prototype.slice.call(document.querySelectorAll('.dfl-edge'));
        var count=document.getElementById('filter-count');var texts=null;
        function apply(){
        var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean);
        if(!texts)texts=cards.map(function(c){return c.textContent.toLowerCase();});
        var shown=new Set();
        cards.forEach(function(card,i){
        var kind=card.getAttribute('data-kind');
        var ok=words.every(function(w){return w.indexOf('kind:')===0?kind.indexOf(w.slice(5))===0:texts[i].indexOf(w)>=0;});
        card.hidden=!ok;if(ok)shown.add(card.getAttribute('data-name'));});
        var active=words.length>0;
        nodes.forEach(function(n){n.classList.toggle('dfl-dim',active&&!shown.has(n.getAttribute('data-name')));});
        edges.forEach(function(e){e.classList.toggle('dfl-dim',active&&!(shown.has(e.getAttribute('data-from'))&&shown.has(e.getAttribute('data-to'))));});
        count.textContent=active?shown.size+' of '+cards.length+' items':'';}
        box.addEventListener('input',apply);
        var closed=[];
        window.addEventListener('beforeprint',function(){closed=Array.prototype.slice.call(document.querySelectorAll('details:not([open])'));
        closed.forEach(function(d){d.open=true;});});
        window.addEventListener('afterprint',function(){closed.forEach(function(d){d.open=false;});});
        })();

        """
}
