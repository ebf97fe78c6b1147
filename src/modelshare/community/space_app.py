"""A demo of the GSS income classifier: eight survey answers in, a probability out.

This file is a Hugging Face Space's app.py (sdk: gradio). On a Space it downloads the
model named in MODEL and serves the demo; in the course's notebook the same `build`
function runs with the model you just trained (modelshare.community.demo).
"""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # send nothing about its users

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

MODEL = "learner/gss-income-1974-1989"  # the model repo this Space shows
CHOICES = {
    "gender": ["Female", "Male"],
    "educcat": ["Less Than High School", "High School", "Junior College", "Bachelor",
                "Graduate"],
    "maritalcat": ["Married", "Never Married", "Divorced", "Separated", "Widowed"],
    "occrecode": ["Armed Forces", "Business/Finance", "Construction/Extraction",
                  "Farming, Fishing, and Forestry", "Installation, Maintenance, and Repair",
                  "Office and Administrative Support", "Production", "Professional", "Sales",
                  "Service", "Transportation"],
    "wrkstat": ["Full-Time", "Part-Time", "Temporarily Not Working", "Unemployed, Laid Off",
                "Retired", "School", "Housekeeper", "Other"],
}
DEFAULTS = {"gender": "Female", "educcat": "High School", "maritalcat": "Married",
            "occrecode": "Professional", "wrkstat": "Full-Time"}
LABELS = {"gender": "Gender", "educcat": "Education", "maritalcat": "Marital status",
          "occrecode": "Occupation", "wrkstat": "Work status"}
THEME = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])  # no CDN


def build(model) -> gr.Interface:
    """The demo for a fitted pipeline that takes the eight GSS columns."""

    def predict(age, childs, prestg10, gender, educcat, maritalcat, occrecode, wrkstat):
        row = pd.DataFrame([{"age": age, "childs": childs, "prestg10": prestg10,
                             "gender": gender, "educcat": educcat, "maritalcat": maritalcat,
                             "occrecode": occrecode, "wrkstat": wrkstat}])
        high = float(model.predict_proba(row)[0, 1])
        return {"income above 25,000": high, "25,000 or less": 1 - high}

    inputs = [gr.Slider(18, 75, value=40, step=1, label="Age"),
              gr.Slider(0, 8, value=2, step=1, label="Number of children"),
              gr.Slider(16, 80, value=44, step=1, label="Occupational prestige (16-80)")]
    inputs += [gr.Dropdown(CHOICES[name], value=DEFAULTS[name], label=LABELS[name])
               for name in CHOICES]
    return gr.Interface(
        predict, inputs, gr.Label(label="The model's answer"), flagging_mode="never",
        title="GSS income classifier, 1974-1989",
        description="A logistic regression trained on US survey answers from 1974-1989 "
                    "(1986 dollars). For learning only: it is often wrong, and more often for "
                    "some groups than others (see the model card).")


if __name__ == "__main__":  # on a Space: the model from the Hub, then serve
    import skops.io as sio
    from huggingface_hub import hf_hub_download

    # skops builds only the types it trusts by default (Python's basic types, numpy arrays,
    # scikit-learn's estimators) and those named here: this pipeline needs no other
    # (sio.get_untrusted_types(file=path) is empty), so trust nothing more.
    build(sio.load(hf_hub_download(MODEL, "model.skops"), trusted=[])).launch(theme=THEME)
