"""modelshare: the helpers behind "Sharing Models Responsibly".

The lessons import only the names listed in ``__all__``; each is a small
function or class that a learner can open and follow down to the library
call (huggingface_hub, scikit-learn, scipy...) that does the real work.
"""

from modelshare import data, env
from modelshare.feedback import check_answer

__version__ = "0.1.0"

__all__ = ["check_answer", "data", "env"]
