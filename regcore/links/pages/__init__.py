"""The pages' link schemes, one module per page; importing one registers it.

The order below is the registry's, and matters only for a link holding two pages'
settings (no page writes one; the Dropout & norm page adds its networks to a link of
config fields it did not write): the first scheme that claims such a link gives its
base config (the Dropout & norm page's before a comparison's), and the pages' settings
are checked in this order.
"""

from regcore.links.pages import sweep  # isort: split

from regcore.links.pages import dropout  # isort: split

from regcore.links.pages import compare

__all__ = ["compare", "dropout", "sweep"]
