from curator_core.plugins import hookimpl, StageSpec
@hookimpl
def curator_stages():
    return []
