import json
import numpy as np
import pytest
import yaml
from PIL import Image

from strix_model.data import (Augment, DatasetError, ResolutionBatchSampler, YoloDataset, class_loss_weights, collate,
                              label_path_for, letterbox, load_data_config, load_ignore_regions, multiscale_sizes,
                              read_labels, repeat_factors)
from strix_model.detector import input_size


def write_dataset(root, labels_text="0 0.5 0.5 0.25 0.5\n", names=("person", "car")):
    (root / "images" / "train").mkdir(parents=True)
    (root / "labels" / "train").mkdir(parents=True)
    image = np.full((100, 200, 3), 30, np.uint8)
    image[25:75, 75:125] = (250, 20, 20)  # the labelled object: x 75..125, y 25..75
    Image.fromarray(image).save(root / "images" / "train" / "a.png")
    (root / "labels" / "train" / "a.txt").write_text(labels_text)
    (root / "data.yaml").write_text(yaml.safe_dump({"train": "images/train", "val": "images/train",
                                                    "names": {i: n for i, n in enumerate(names)}}))
    return root / "data.yaml"


def test_reads_names_mapping_and_derives_a_content_id(tmp_path):
    config = load_data_config(write_dataset(tmp_path))
    assert config.names == ["person", "car"]
    assert config.dataset_id.startswith(tmp_path.name + "-") and len(config.dataset_id) == len(tmp_path.name) + 13


def test_label_path_replaces_the_last_images_folder(tmp_path):
    assert label_path_for(tmp_path / "images" / "val" / "x.jpg") == tmp_path / "labels" / "val" / "x.txt"


@pytest.mark.parametrize("line, message", [
    ("5 0.5 0.5 0.1 0.1", "class 5 is outside 0..1"),
    ("0 0.5 0.5 0.1", "expected 'class cx cy w h'"),
    ("0 0.5 0.5 0 0.1", "not a normalised"),
    ("0 x 0.5 0.1 0.1", "not a number"),
])
def test_bad_labels_name_the_file_and_line(tmp_path, line, message):
    path = tmp_path / "l.txt"
    path.write_text("0 0.5 0.5 0.1 0.1\n" + line + "\n")
    with pytest.raises(DatasetError, match=f"l.txt:2: .*{message}"):
        read_labels(path, 2)


def test_missing_dataset_file_is_reported(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        load_data_config(tmp_path / "nope.yaml")


def test_letterbox_centres_the_image_on_grey():
    canvas, box = letterbox(Image.new("RGB", (200, 100), (10, 20, 30)), 128)
    assert box.ratio == pytest.approx(0.64) and (box.left, box.top) == (0, 32)
    assert (canvas[:32] == 114).all() and (canvas[96:] == 114).all()
    assert (canvas[32:96] == (10, 20, 30)).all()
    back = box.to_original(np.array([[0.0, 32.0, 128.0, 96.0]]))
    assert np.allclose(back, [[0, 0, 200, 100]])


def test_validation_item_maps_labels_into_the_letterboxed_input(tmp_path):
    dataset = YoloDataset(load_data_config(write_dataset(tmp_path)), "train", 128)
    image, boxes, _ = dataset[0]
    assert image.shape == (3, 128, 128)
    # object x 75..125 of 200, y 25..75 of 100 -> ratio 0.64, top pad 32
    assert np.allclose(boxes.numpy(), [[0, 48, 48, 80, 80]], atol=1e-4)


def test_augmented_boxes_stay_on_the_object(tmp_path):
    dataset = YoloDataset(load_data_config(write_dataset(tmp_path)), "train", 128,
                          Augment(hsv_h=0, hsv_s=0, hsv_v=0, flip=0.5, scale=0.4, translate=0.2))
    for _ in range(12):
        image, boxes, _ = dataset[0]
        pixels = image.numpy().transpose(1, 2, 0)
        for _, x1, y1, x2, y2 in boxes.numpy():
            inside = pixels[int(y1) + 2:int(y2) - 1, int(x1) + 2:int(x2) - 1]
            assert inside.size and (inside[..., 0] > 200).mean() > 0.95


def test_mosaic_items_have_the_requested_size_and_valid_boxes(tmp_path):
    dataset = YoloDataset(load_data_config(write_dataset(tmp_path)), "train", 128, Augment(mosaic=1.0))
    image, boxes, _ = dataset[(0, 192)]
    assert image.shape == (3, 192, 192)
    b = boxes.numpy()
    assert ((b[:, 1:] >= 0) & (b[:, 1:] <= 192)).all() and (b[:, 3] > b[:, 1]).all() and (b[:, 4] > b[:, 2]).all()


def test_rectangular_items_are_width_by_height_with_boxes_inside(tmp_path):
    config = load_data_config(write_dataset(tmp_path))
    image, boxes, _ = YoloDataset(config, "train", (192, 128))[0]
    assert image.shape == (3, 128, 192)
    # 200x100 into 192x128: ratio 0.96 -> 192x96 at top 16; object x 75..125, y 25..75
    assert np.allclose(boxes.numpy(), [[0, 72, 40, 120, 88]], atol=1e-4)
    for augment in (Augment(mosaic=1.0), Augment(hsv_h=0, hsv_s=0, hsv_v=0, flip=1.0, scale=0.3, translate=0.2)):
        dataset = YoloDataset(config, "train", (192, 128), augment)
        for _ in range(6):
            image, boxes, _ = dataset[0]
            assert image.shape == (3, 128, 192)
            b = boxes.numpy()
            assert ((b[:, [1, 3]] >= 0) & (b[:, [1, 3]] <= 192)).all()
            assert ((b[:, [2, 4]] >= 0) & (b[:, [2, 4]] <= 128)).all()
            if not augment.mosaic:  # (a mosaic may clip the object to a sliver)
                pixels = image.numpy().transpose(1, 2, 0)
                for _, x1, y1, x2, y2 in b:
                    inside = pixels[int(y1) + 2:int(y2) - 1, int(x1) + 2:int(x2) - 1]
                    assert inside.size and (inside[..., 0] > 200).mean() > 0.95


def test_collate_tags_targets_with_their_image(tmp_path):
    dataset = YoloDataset(load_data_config(write_dataset(tmp_path)), "train", 128)
    images, targets, _ = collate([dataset[0], dataset[0]])
    assert images.shape == (2, 3, 128, 128)
    assert targets[:, 0].tolist() == [0.0, 1.0]


def test_multiscale_sizes_are_multiples_of_64_around_the_base():
    assert multiscale_sizes(320) == [(192, 192), (256, 256), (320, 320), (384, 384), (448, 448)]
    assert multiscale_sizes(256) == [(128, 128), (192, 192), (256, 256), (320, 320), (384, 384)]


def test_multiscale_sizes_of_a_rectangular_input_keep_its_aspect_as_near_as_64_px_allow():
    assert multiscale_sizes((448, 256)) == [(256, 128), (320, 192), (384, 192), (448, 256), (512, 320), (576, 320),
                                            (640, 384)]
    assert multiscale_sizes((320, 192)) == [(192, 128), (256, 128), (320, 192), (384, 256), (448, 256)]
    assert (576, 320) in multiscale_sizes((576, 320), low=0.9, high=1.1)


@pytest.mark.parametrize("base", [320, (448, 256)])
def test_multiscale_sampler_scales_batch_with_area_and_covers_every_image_once(base):
    sizes = multiscale_sizes(base)
    sampler = ResolutionBatchSampler(1000, batch=16, base=base, sizes=sizes, seed=3)
    batches = list(sampler)
    seen = sorted(i for batch in batches for i, _ in batch)
    assert seen == list(range(1000))
    base_area = np.prod(input_size(base))
    for batch in batches[:-1]:
        size = batch[0][1]
        assert {s for _, s in batch} == {size}
        assert len(batch) == int(16 * base_area / (size[0] * size[1]))
    assert {b[0][1] for b in batches} == set(sizes)
    sampler.set_epoch(1)
    assert [b[0] for b in sampler] != [b[0] for b in batches]


def test_fixed_size_sampler_uses_the_base_size():
    batches = list(ResolutionBatchSampler(10, batch=4, base=256, shuffle=False))
    assert [[i for i, _ in b] for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert {s for b in batches for _, s in b} == {256}
    rectangular = list(ResolutionBatchSampler(10, batch=4, base=(576, 320), shuffle=False))
    assert [len(b) for b in rectangular] == [4, 4, 2] and {s for b in rectangular for _, s in b} == {(576, 320)}


def test_repeat_factors_raise_images_with_rare_classes_by_the_rarest_one():
    labels = [np.array([[0, .5, .5, .1, .1]])] * 6 + [np.array([[0, .5, .5, .1, .1], [1, .2, .2, .1, .1]])] * 3 \
        + [np.array([[1, .5, .5, .1, .1], [2, .5, .5, .1, .1]])] + [np.zeros((0, 5))] * 2  # 12 images
    # f(person) = 9/12, f(car) = 4/12, f(bus) = 1/12; threshold 0.5: r = 1, sqrt(1.5), sqrt(6)
    factors = repeat_factors(labels, num_classes=3, threshold=0.5)
    assert factors[:6].tolist() == [1.0] * 6
    assert factors[6:9] == pytest.approx([1.5 ** 0.5] * 3)
    assert factors[9] == pytest.approx(6 ** 0.5)  # car and bus: the rarer one counts
    assert factors[10:].tolist() == [1.0, 1.0]  # background images
    assert repeat_factors(labels, num_classes=3, threshold=0.0).tolist() == [1.0] * 12


def test_class_loss_weights_raise_classes_with_fewer_objects_than_the_average_class():
    box = [.5, .5, .1, .1]
    labels = [np.array([[0] + box] * 8)] * 3 + [np.array([[1] + box, [2] + box])] + [np.zeros((0, 5))]
    # 24 people, 1 car, 1 bus: mean 26 / 3; people stay 1, car and bus sqrt(26/3) = 2.94; power 1 caps at 4
    assert class_loss_weights(labels, 4, power=0.5) == pytest.approx([1.0, (26 / 3) ** 0.5, (26 / 3) ** 0.5, 1.0])
    assert class_loss_weights(labels, 4, power=1.0).tolist() == [1.0, 4.0, 4.0, 1.0]  # class 3 has no objects: 1
    # Counted per epoch: showing the car-and-bus image 4 times makes 4 of each (mean 32 / 3)
    repeats = np.array([1.0, 1.0, 1.0, 4.0, 1.0])
    assert class_loss_weights(labels, 4, 0.5, repeats) == pytest.approx([1.0, (8 / 3) ** 0.5, (8 / 3) ** 0.5, 1.0])
    assert class_loss_weights(labels, 4, power=0.0).tolist() == [1.0] * 4
    with pytest.raises(ValueError, match="class weight power -0.5: it must be 0 .off. or more"):
        class_loss_weights(labels, 4, power=-0.5)
    # A higher cap lets power 1 reach the full ratio (26 / 3 = 8.7); a cap under 1 would lower the rare classes
    assert class_loss_weights(labels, 4, power=1.0, cap=16).tolist() == pytest.approx([1.0, 26 / 3, 26 / 3, 1.0])
    with pytest.raises(ValueError, match="class weight cap 0.5: it must be 1 or more"):
        class_loss_weights(labels, 4, power=1.0, cap=0.5)


def test_repeat_sampler_shows_each_image_its_factor_times_on_average():
    factors = np.array([1.0, 1.0, 1.5, 2.0, 3.25])
    sampler = ResolutionBatchSampler(5, batch=4, base=320, seed=1, repeats=factors)
    counts = np.zeros(5)
    for epoch in range(400):
        sampler.set_epoch(epoch)
        seen = np.bincount([i for batch in sampler for i, _ in batch], minlength=5)
        assert np.all((seen == np.floor(factors)) | (seen == np.ceil(factors)))
        assert len(sampler) == -(-seen.sum() // 4)
        counts += seen
    assert counts / 400 == pytest.approx(factors, abs=0.1)
    with pytest.raises(ValueError, match="at least 1"):
        ResolutionBatchSampler(2, batch=4, base=320, repeats=np.array([1.0, 0.5]))


def test_ignore_regions_come_from_the_iscrowd_annotations_in_class_order(tmp_path):
    (tmp_path / "images" / "val").mkdir(parents=True)
    (tmp_path / "annotations").mkdir()
    (tmp_path / "data.yaml").write_text("names: [person, car]\ncoco_ids: [0, 2]\ntrain: images/val\nval: images/val\n")
    coco = {
        "images": [{"id": 7, "file_name": "000012.jpg", "width": 640, "height": 360}],
        "categories": [{"id": 0, "name": "person"}, {"id": 2, "name": "car"}],
        "annotations": [
            {"id": 1, "image_id": 7, "category_id": 2, "bbox": [64, 36, 32, 18], "iscrowd": 1},
            {"id": 2, "image_id": 7, "category_id": 0, "bbox": [0, 0, 10, 10], "iscrowd": 0},  # a label, not a region
        ],
    }
    (tmp_path / "annotations" / "val.json").write_text(json.dumps(coco))
    (tmp_path / "images" / "val" / "000012.jpg").write_bytes(b"")
    regions = load_ignore_regions(load_data_config(tmp_path / "data.yaml"), "val")
    image = str(tmp_path / "images" / "val" / "000012.jpg")
    assert list(regions) == [image]
    assert regions[image].tolist() == [[1, 0.1, 0.1, 0.15, 0.15]]  # class index 1 (car), normalised
    assert load_ignore_regions(load_data_config(tmp_path / "data.yaml"), "train") == {}  # no annotations/train.json
    (tmp_path / "flat.yaml").write_text("names: [person, car]\ncoco_ids: [0, 2]\ntrain: images\nval: images\n")
    (tmp_path / "images" / "val" / "000012.jpg").rename(tmp_path / "images" / "000012.jpg")
    flat = load_ignore_regions(load_data_config(tmp_path / "flat.yaml"), "val")  # val: images -> ROOT/annotations
    assert list(flat) == [str(tmp_path / "images" / "000012.jpg")]


def test_a_mixed_data_yaml_gets_each_datasets_own_ignore_regions(tmp_path):
    # Two camsim-style datasets with the same file names, mixed by a data.yaml in their parent folder (as
    # data/camsim-mix.yaml mixes seeds): each image gets the regions of its own dataset's annotations.
    for name, x in (("a", 64), ("b", 320)):
        (tmp_path / name / "images" / "val").mkdir(parents=True)
        (tmp_path / name / "annotations").mkdir()
        (tmp_path / name / "images" / "val" / "000001.jpg").write_bytes(b"")
        (tmp_path / name / "annotations" / "val.json").write_text(json.dumps({
            "images": [{"id": 1, "file_name": "000001.jpg", "width": 640, "height": 360}],
            "categories": [{"id": 0, "name": "person"}],
            "annotations": [{"id": 1, "image_id": 1, "category_id": 0, "bbox": [x, 0, 64, 36], "iscrowd": 1}]}))
    (tmp_path / "mix.yaml").write_text("names: [person]\ntrain: [a/images/val]\nval: [a/images/val, b/images/val]\n")
    regions = load_ignore_regions(load_data_config(tmp_path / "mix.yaml"), "val")
    assert {key: value.tolist() for key, value in regions.items()} == {
        str(tmp_path / "a" / "images" / "val" / "000001.jpg"): [[0, 0.1, 0.0, 0.2, 0.1]],
        str(tmp_path / "b" / "images" / "val" / "000001.jpg"): [[0, 0.5, 0.0, 0.6, 0.1]]}


def test_letterbox_into_a_rectangle_keeps_the_aspect_and_centres():
    canvas, box = letterbox(Image.new("RGB", (640, 360), (10, 20, 30)), (576, 320))
    assert canvas.shape == (320, 576, 3)
    assert box.ratio == pytest.approx(320 / 360) and (box.left, box.top) == (3, 0)  # resized to 569x320
    assert tuple(canvas[0, 3]) == (10, 20, 30) and tuple(canvas[0, 2]) == (114, 114, 114)
    assert tuple(canvas[0, 571]) == (10, 20, 30) and tuple(canvas[0, 572]) == (114, 114, 114)
