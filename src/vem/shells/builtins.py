"""Names each shell already gives a meaning to (keywords and builtins), which a
`vem alias` must never redefine. Taken from the shells themselves (bash `compgen -b -k`,
zsh `$builtins $reswords`, fish `builtin -n`, tcsh `builtins`, nu `help commands`;
PowerShell: its keywords and default aliases)."""

from __future__ import annotations

_WORDS = {
    "bash": """
    ! . : [ [[ ]] alias bg bind break builtin caller case cd command compgen
    complete compopt continue coproc declare dirs disown do done echo elif else
    enable esac eval exec exit export false fc fg fi for function getopts hash help
    history if in jobs kill let local logout mapfile popd printf pushd pwd read
    readarray readonly return select set shift shopt source suspend test then time
    times trap true type typeset ulimit umask unalias unset until wait while { }
    """,
    "zsh": """
    ! - . : [ [[ alias autoload bg bindkey break builtin bye case cd chdir command
    compadd comparguments compcall compctl compdescribe compfiles compgroups
    compquote compset comptags comptry compvalues continue coproc declare dirs
    disable disown do done echo echotc echoti elif else emulate enable end esac eval
    exec exit export false fc fg fi float for foreach function functions getln
    getopts hash history if integer jobs kill let limit local log logout nocorrect
    noglob popd print printf private pushd pushln pwd r read readonly rehash repeat
    return sched select set setopt shift source suspend test then time times trap
    true ttyctl type typeset ulimit umask unalias unfunction unhash unlimit unset
    unsetopt until vared wait whence where which while zcompile zformat zle zmodload
    zparseopts zregexparse zstyle { }
    """,
    "sh": """
    ! . : [ alias bg break case cd command continue do done echo elif else esac eval
    exec exit export false fc fg fi for getopts hash if in jobs kill local pwd read
    readonly return set shift test then times trap true type ulimit umask unalias
    unset until wait while { }
    """,
    "fish": """
    . : [ _ abbr and argparse begin bg bind block break breakpoint builtin case cd
    command commandline complete contains continue count disown echo else emit end
    eval exec exit false fg for function functions history if jobs math not or path
    printf pwd random read realpath return set set_color source status string switch
    test time true type ulimit wait while
    """,
    "tcsh": """
    : @ alias alloc bg bindkey break breaksw builtins case cd chdir complete
    continue default dirs echo echotc else end endif endsw eval exec exit fg
    filetest foreach glob goto hashstat history hup if jobs kill limit log login
    logout ls-F nice nohup notify onintr popd printenv pushd rehash repeat sched set
    setenv settc setty shift source stop suspend switch telltc termname time umask
    unalias uncomplete unhash unlimit unset unsetenv wait where which while
    """,
    "nu": """
    alias all ansi any append ast attr banner bits break bytes cal cd char chunk-by
    chunks clear collect columns commandline compact complete config const continue
    cp date debug decode def default describe detect do drop du each echo encode
    enumerate error every exec exit explain explore export export-env extern fill
    filter find first flatten for format from generate get glob grid group-by hash
    headers help hide hide-env histogram history http if ignore input insert inspect
    interleave into is-admin is-empty is-not-empty is-terminal items job join
    keybindings kill last length let let-env lines load-env loop ls match math merge
    metadata mkdir mktemp module move mut mv nu-check nu-highlight open overlay
    panic par-each parse path plugin port prepend print ps pwd query random reduce
    reject rename return reverse rm roll rotate run-external save schema scope
    select seq shuffle skip sleep slice sort sort-by source source-env split start
    stor str sys table take tee term timeit to touch transpose try tutor ulimit
    uname uniq uniq-by update upsert url use values version view watch where which
    while whoami window with-env wrap zip
    """,
    "powershell": """
    ac asnp begin break cat catch cd chdir class clc clean clear clhy cli clp cls
    clv cnsn compare continue copy cp cpi cpp curl cvpa data dbp define del diff dir
    dnsn do dynamicparam ebp echo else elseif end enum epal epcsv epsn erase etsn
    exit exsn fc fhx filter finally fl for foreach from ft function fw gal gbp gc
    gcb gci gcm gcs gdr ghy gi gin gjb gl gm gmo gp gps gpv group gsn gsnp gsv gtz
    gu gv gwmi h hidden history icm iex if ihy ii in ipal ipcsv ipmo ipsn irm ise
    iwmi iwr kill lp ls man md measure mi mount move mp mv nal ndr ni nmo npssc nsn
    nv ogv oh param popd process ps pushd pwd r rbp rcjb rcsn rd rdr ren return ri
    rjb rm rmdir rmo rni rnp rp rsn rsnp rujb rv rvpa rwmi sajb sal saps sasv sbp sc
    scb select set shcm si sl sleep sls sort sp spjb spps spsv start static stz sujb
    sv switch swmi tee throw trap trcm try type until using var wget where while wjb
    workflow write
    """,
}

BUILTINS: dict[str, frozenset[str]] = {
    name: frozenset(words.split()) for name, words in _WORDS.items()
}
